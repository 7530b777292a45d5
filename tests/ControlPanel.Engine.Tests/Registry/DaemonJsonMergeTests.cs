using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Registry;

public class DaemonJsonMergeTests
{
    static readonly ConfigFile File = DockerDaemonConfig.File;
    static string Mirrors(params string[] urls) => DockerDaemonConfig.Value(urls);

    static ConfigEdit Set(string? current, params string[] urls) =>
        ConfigPlanner.Set(File, current, current is null ? new Original.Created() : new Original.Existed(current, new FileStat("0644", "root:root")),
            [(DockerDaemonConfig.Mirrors, Mirrors(urls))])!;

    [Theory]
    [InlineData("daemon-kubeedge.json")]
    [InlineData("daemon-seed-000.json")]
    public void Setting_mirrors_keeps_every_other_key_byte_for_byte_and_in_order(string sample)
    {
        var before = Samples.Read(sample);
        var after = Set(before, "http://10.0.0.2:5000", "https://mirror.example.org").Content!;

        Assert.Equal(["http://10.0.0.2:5000", "https://mirror.example.org"], DockerDaemonConfig.Read(after));
        var namesBefore = JsonMembers.Parse(before).Names.ToList();
        var namesAfter = JsonMembers.Parse(after).Names.ToList();
        Assert.Equal(namesBefore, namesAfter.Where(namesBefore.Contains));
        foreach (var name in namesBefore.Where(n => n != DockerDaemonConfig.Key))
            Assert.Equal(JsonMembers.Parse(before).Get(name), JsonMembers.Parse(after).Get(name));
        // Taking our key out of a file that did not have it gives the original bytes back.
        if (!namesBefore.Contains(DockerDaemonConfig.Key)) Assert.Equal(before, JsonMembers.Parse(after).Remove(DockerDaemonConfig.Key));
    }

    [Fact]
    public void The_seed_file_has_its_mirror_replaced_in_place()
    {
        var after = Set(Samples.Read("daemon-seed-000.json"), "http://10.0.0.2:5000").Content;
        Assert.Equal("{\"registry-mirrors\": [\"http://10.0.0.2:5000\"],\"exec-opts\": [\"native.cgroupdriver=systemd\"]}\n", after);
    }

    [Fact]
    public void A_new_member_is_indented_like_the_others()
    {
        var after = Set(Samples.Read("daemon-kubeedge.json"), "http://10.0.0.2:5000").Content!;
        Assert.EndsWith("\"data-root\": \"/data/docker\",\n    \"registry-mirrors\": [\"http://10.0.0.2:5000\"]\n}\n", after);
    }

    [Theory]
    [InlineData("daemon-kubeedge.json")]
    [InlineData("daemon-seed-000.json")]
    public void A_second_set_changes_nothing_and_reset_restores_byte_for_byte(string sample)
    {
        var original = Samples.Read(sample);
        var backup = new Original.Existed(original, new FileStat("0600", "root:root"));
        var once = ConfigPlanner.Set(File, original, backup, [(DockerDaemonConfig.Mirrors, Mirrors("http://10.0.0.2:5000"))])!;
        Assert.Null(ConfigPlanner.Set(File, once.Content, backup, [(DockerDaemonConfig.Mirrors, Mirrors("http://10.0.0.2:5000"))]));

        var reset = ConfigPlanner.Reset(File, once.Content, backup, [DockerDaemonConfig.Mirrors])!;
        Assert.Equal(ConfigEditKind.Restore, reset.Kind);
        Assert.Equal(original, reset.Content);
        Assert.Null(ConfigPlanner.Reset(File, once.Content, new Original.Untouched(), [DockerDaemonConfig.Mirrors]));
    }

    [Fact]
    public void Reset_after_the_user_edited_the_file_puts_back_only_the_mirrors()
    {
        var original = Samples.Read("daemon-seed-000.json");
        var backup = new Original.Existed(original, new FileStat("0644", "root:root"));
        var ours = ConfigPlanner.Set(File, original, backup, [(DockerDaemonConfig.Mirrors, Mirrors("http://10.0.0.2:5000"))])!.Content!;
        var edited = JsonMembers.Parse(ours).Set("debug", "true");

        var reset = ConfigPlanner.Reset(File, edited, backup, [DockerDaemonConfig.Mirrors])!;
        Assert.Equal(ConfigEditKind.PartialReset, reset.Kind);
        Assert.Equal(["http://192.168.3.4"], DockerDaemonConfig.Read(reset.Content));
        Assert.Equal("true", JsonMembers.Parse(reset.Content!).Get("debug"));
    }

    [Fact]
    public void A_missing_file_is_created_and_reset_removes_it()
    {
        var created = Set(null, "http://10.0.0.2:5000");
        Assert.Equal(ConfigEditKind.Write, created.Kind);
        Assert.Equal("{\n  \"registry-mirrors\": [\"http://10.0.0.2:5000\"]\n}\n", created.Content);
        Assert.Equal(ConfigEditKind.Delete, ConfigPlanner.Reset(File, created.Content, new Original.Created(), [DockerDaemonConfig.Mirrors])!.Kind);

        // Keys the user added since stay: only ours goes.
        var withUserKey = JsonMembers.Parse(created.Content!).Set("exec-opts", "[\"native.cgroupdriver=systemd\"]");
        var reset = ConfigPlanner.Reset(File, withUserKey, new Original.Created(), [DockerDaemonConfig.Mirrors])!;
        Assert.Equal(ConfigEditKind.PartialReset, reset.Kind);
        Assert.Equal("{\n  \"exec-opts\": [\"native.cgroupdriver=systemd\"]\n}\n", reset.Content);
    }

    [Fact]
    public void Invalid_json_is_refused_naming_the_file_and_the_position()
    {
        var e = Assert.Throws<StageFailedException>(() => Set(Samples.Read("daemon-invalid.json"), "http://10.0.0.2:5000"));
        Assert.Contains("/etc/docker/daemon.json is not valid JSON (line 3, column 5:", e.Message);
        Assert.Contains("it was not changed", e.Message);
    }

    [Theory]
    [InlineData("[\"a\"]", "line 1, column 1: the file must hold one JSON object")]
    [InlineData("{\"a\": 1, \"a\": 2}", "line 1, column 10: \"a\" appears twice")]
    [InlineData("{\"a\": 1,}", "line 1, column 9")]
    [InlineData("{\"a\": 1} x", "line 1, column 10")]
    [InlineData("{\"a\": 1 // note\n}", "line 1, column 9")]
    public void Other_invalid_json_is_refused_with_its_position(string text, string message) =>
        Assert.Contains(message, Assert.Throws<Engine.HostConfig.Toml.ConfigSyntaxException>(() => JsonMembers.Parse(text)).Message);

    [Fact]
    public void Removing_members_takes_the_right_comma()
    {
        const string Text = "{ \"a\": 1, \"b\": [2, 3], \"c\": {\"d\": 4} }";
        Assert.Equal("{ \"b\": [2, 3], \"c\": {\"d\": 4} }", JsonMembers.Parse(Text).Remove("a"));
        Assert.Equal("{ \"a\": 1, \"c\": {\"d\": 4} }", JsonMembers.Parse(Text).Remove("b"));
        Assert.Equal("{ \"a\": 1, \"b\": [2, 3] }", JsonMembers.Parse(Text).Remove("c"));
        Assert.Equal("{}", JsonMembers.Parse("{\"a\": 1}").Remove("a"));
        Assert.Equal("{\n  \"x\": 1\n}", JsonMembers.Parse("{}").Set("x", "1"));
    }
}
