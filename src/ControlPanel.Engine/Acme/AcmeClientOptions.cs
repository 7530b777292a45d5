namespace ControlPanel.Engine.Acme;

/// <summary>Tunables of the ACME exchange; the defaults suit public CAs and pebble alike.</summary>
public sealed record AcmeClientOptions
{
    /// <summary>A CA may reject any signed request with badNonce (pebble: a configurable share); each retry uses the fresh nonce it sent.</summary>
    public int MaxBadNonceRetries { get; init; } = 20;
    /// <summary>
    /// First pause when polling an authorization or order without Retry-After; doubles up to <see cref="PollMaxDelay"/>.
    /// Short: a CA that validates and issues at once (pebble; a CA on the same network) answered the second poll, and at
    /// 50 ms these pauses were half of `cert issue`'s ACME exchange; a CA that takes seconds is asked two or three times more.
    /// </summary>
    public TimeSpan PollInitialDelay { get; init; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan PollMaxDelay { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long an authorization or order may stay pending/processing before we give up.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
