using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Cache;

/// <summary>What the cache's stages say, under stable keys (the panel translates them).</summary>
static class CacheReasons
{
    public static readonly MessageTemplate Installed = new("cache.installed", "docker-registry is installed");
    public static readonly MessageTemplate NotInstalled = new("cache.not-installed", "docker-registry is not installed");
    public static readonly MessageTemplate InstalledByUs = new("cache.installed-by-us", "docker-registry was installed by us");
    public static readonly MessageTemplate Caching = new("cache.caching", "caching {upstream} on {listen}; {expiry}");
    public static readonly MessageTemplate NoAnswer = new("cache.no-answer", "the registry does not answer on {listen}");
    public static readonly MessageTemplate Timeout = new("cache.timeout", "the registry did not answer on {listen} within {seconds} s: see `journalctl -u docker-registry`");
    public static readonly MessageTemplate NoneOfOurs = new("cache.none-of-ours", "no pull-through cache of ours");
}
