// Small browser helpers of the panel.
window.cpPanel = {
    // Set once the interactive session is live (tests and people can tell a prerendered page from a live one).
    ready() { document.body.dataset.ready = '1'; },
    // The light or dark theme this browser's user picked (Components/Layout/MainLayout); null follows the system.
    theme() { return localStorage.getItem('cp-theme'); },
    setTheme(value) { localStorage.setItem('cp-theme', value); }
};

// The reconnect dialog's buttons (Components/Layout/ReconnectModal): try the circuit again, else load the page anew.
document.addEventListener('click', e => {
    const button = e.target.closest('[data-reconnect]');
    if (!button) return;
    if (button.dataset.reconnect === 'retry' && window.Blazor?.reconnect) {
        Blazor.reconnect().then(ok => { if (!ok) location.reload(); }, () => location.reload());
    } else {
        location.reload();
    }
});

// The live log (Components/Controls/LiveLog): keep the end in view, and notice the user scrolling up.
window.cpLog = {
    toEnd(el) {
        if (el) el.scrollTop = el.scrollHeight;
    },
    watch(el, component) {
        if (!el) return;
        // Following, the server sends only the last lines under a spacer: keep the end in view on every batch,
        // without a round trip; a scroll away from the end (the scrollbar) stops following, like the wheel.
        const tailing = () => el.dataset.mode === 'tail';
        new MutationObserver(() => { if (tailing()) el.scrollTop = el.scrollHeight; })
            .observe(el, { attributes: true, attributeFilter: ['data-count', 'data-mode'] });
        el.addEventListener('scroll', () => {
            if (tailing() && el.scrollHeight - el.scrollTop - el.clientHeight > 60) component.invokeMethodAsync('UserScrolledUp');
        }, { passive: true });
        el.addEventListener('wheel', e => { if (e.deltaY < 0) component.invokeMethodAsync('UserScrolledUp'); }, { passive: true });
        el.addEventListener('keydown', e => { if (e.key === 'PageUp' || e.key === 'ArrowUp' || e.key === 'Home') component.invokeMethodAsync('UserScrolledUp'); });
    }
};
