// Small browser helpers of the panel.
window.cpPanel = {
    // Set once the interactive session is live (tests and people can tell a prerendered page from a live one).
    ready() { document.body.dataset.ready = '1'; }
};

// The live log (Components/Controls/LiveLog): keep the end in view, and notice the user scrolling up.
window.cpLog = {
    toEnd(el) {
        if (el) el.scrollTop = el.scrollHeight;
    },
    watch(el, component) {
        if (!el) return;
        el.addEventListener('wheel', e => { if (e.deltaY < 0) component.invokeMethodAsync('UserScrolledUp'); }, { passive: true });
        el.addEventListener('keydown', e => { if (e.key === 'PageUp' || e.key === 'ArrowUp' || e.key === 'Home') component.invokeMethodAsync('UserScrolledUp'); });
    }
};
