using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Inventory;

/// <summary>What a host offers on first contact, for the user to confirm before anything is pinned.</summary>
public sealed record TrustOffer(InventoryHost Host, IReadOnlyList<HostPublicKey> Offered, PinState State);

/// <summary>
/// Host key pinning on first contact: scan, show the fingerprints, pin only what the user confirmed.
/// A key that differs from the pinned one is refused loudly and never re-pinned.
/// </summary>
public sealed class HostTrust(string dataDirectory, HostKeyScanner? scanner = null)
{
    static readonly MessageTemplate NoKeyMatches = new("input.fingerprint-no-match", "matches no key {address} offers ({keys}); nothing was pinned");

    readonly HostKeyScanner scanner = scanner ?? new HostKeyScanner();
    readonly KnownHosts knownHosts = KnownHosts.In(dataDirectory);
    readonly InventoryStore store = new(dataDirectory);

    public async Task<TrustOffer> ScanAsync(InventoryHost host, CancellationToken ct = default)
    {
        var offered = await scanner.ScanAsync(host.Target, ct);
        var state = knownHosts.Compare(host.Target, offered);
        if (state == PinState.Changed) throw KnownHosts.ChangedKey(host.Target, knownHosts.PinnedKeys(host.Target), offered);
        return new TrustOffer(host, offered, state);
    }

    /// <summary>
    /// Pins the offered keys the user confirmed: all of them after an interactive yes, or only the one matching
    /// <paramref name="expectedFingerprint"/> (ssh-keyscan reads each key type over its own connection, so a
    /// fingerprint checked out of band vouches for its own key only).
    /// </summary>
    public async Task<IReadOnlyList<HostPublicKey>> ConfirmAsync(TrustOffer offer, string? expectedFingerprint, CancellationToken ct = default)
    {
        var keys = offer.Offered;
        if (expectedFingerprint is not null)
        {
            var wanted = expectedFingerprint.Trim();
            keys = offer.Offered.Where(k => k.Fingerprint == wanted).ToList();
            if (keys.Count == 0)
                throw new InputException("fingerprint", expectedFingerprint,
                    NoKeyMatches.With(("address", offer.Host.Target.Address), ("keys", string.Join(", ", offer.Offered.Select(k => $"{k.Type} {k.Fingerprint}")))));
        }
        knownHosts.Pin(offer.Host.Target, keys);
        await store.MarkPinnedAsync(offer.Host.Name, keys.Select(k => k.Fingerprint), ct);
        return keys;
    }

    public bool IsPinned(InventoryHost host) => knownHosts.PinnedKeys(host.Target).Count > 0;
}
