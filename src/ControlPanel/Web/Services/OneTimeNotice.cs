namespace ControlPanel.Web.Services;

/// <summary>
/// A secret shown exactly once in this browser session (the generated faasd password after an install
/// starts): the install page leaves it, the run page takes it. Lives in the circuit only, never stored.
/// </summary>
public sealed class OneTimeNotice
{
    (long RunId, string Secret)? held;

    public void Leave(long runId, string secret) => held = (runId, secret);

    public string? Take(long runId)
    {
        if (held is not { } h || h.RunId != runId) return null;
        held = null;
        return h.Secret;
    }
}
