using ControlPanel.Engine.Artifacts;

namespace ControlPanel.Engine.Tests.Artifacts;

public class ManifestTests
{
    readonly ArtifactManifest manifest = ArtifactManifest.Default;

    [Fact]
    public void Profiles_pin_the_versions_asked_for()
    {
        Assert.Equal("seed", manifest.DefaultProfile);
        Assert.Equal(("1.4.0", "0.8.5", "0.9.5"), (manifest.VersionOf("seed", "containerd"), manifest.VersionOf("seed", "cni-plugins"), manifest.VersionOf("seed", "faasd")));
        Assert.Equal(("1.7.27", "0.9.1", "0.19.7"), (manifest.VersionOf("current", "containerd"), manifest.VersionOf("current", "cni-plugins"), manifest.VersionOf("current", "faasd")));
    }

    [Fact]
    public void Every_file_has_a_way_to_be_verified_and_only_faasd_095_and_the_bundle_need_the_user()
    {
        foreach (var (component, c) in manifest.Components)
            foreach (var version in c.Releases.Keys)
                foreach (var arch in ArtifactManifest.Architectures.Where(a => manifest.UnsupportedReason(component, version, a) is null))
                    foreach (var a in manifest.Resolve(component, version, arch))
                        Assert.True(a.Trust != ArtifactTrust.UserConfirmed || component == "faasd-bundle" || (component == "faasd" && version == "0.9.5"), a.Id);
    }

    [Fact]
    public void Cni_hashes_are_the_published_ones_and_containerd_uses_its_sha256sum_files()
    {
        var cni = manifest.Resolve("cni-plugins", "0.8.5", "amd64").Single();
        Assert.Equal("bd682ffcf701e8f83283cdff7281aad0c83b02a56084d6e601216210732833f9", cni.Sha256);
        Assert.Equal(new Uri("https://github.com/containernetworking/plugins/releases/download/v0.8.5/cni-plugins-linux-amd64-v0.8.5.tgz"), cni.Upstream);
        var containerd = manifest.Resolve("containerd", "1.7.27", "arm64").Single();
        Assert.Equal(ArtifactTrust.ChecksumFile, containerd.Trust);
        Assert.Equal(new Uri("http://mirror.example/base/docker/containerd/v1.7.27/containerd-1.7.27-linux-arm64.tar.gz.sha256sum"),
            containerd.ChecksumUrl(new Uri("http://mirror.example/base")));
        Assert.Equal(new Uri("http://mirror.example/base/docker/containerd/v1.7.27/containerd-1.7.27-linux-arm64.tar.gz"),
            containerd.MirrorUrl(new Uri("http://mirror.example/base")));
    }

    [Fact]
    public void Containerd_140_has_no_arm64_build_and_says_which_profile_to_use()
    {
        Assert.Contains("--profile current", manifest.UnsupportedReason("containerd", "1.4.0", "arm64"));
        Assert.Throws<ArgumentException>(() => manifest.Resolve("containerd", "1.4.0", "arm64"));
    }

    [Fact]
    public void A_manifest_with_a_malformed_hash_is_rejected_on_load()
    {
        var json = """{"defaultProfile":"p","profiles":{"p":{"x":"1"}},"components":{"x":{"upstream":"u","mirror":"m","releases":{"1":{"artifacts":[{"arch":"amd64","file":"f","sha256":"abc"}]}}}}}""";
        var e = Assert.Throws<InvalidDataException>(() => ArtifactManifest.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains("64 hex digits", e.Message);
    }

    [Fact]
    public void The_mirror_layout_lists_binaries_checksum_files_and_bundle_files()
    {
        var layout = manifest.MirrorLayout().ToList();
        Assert.Contains("docker/containerd/v1.4.0/containerd-1.4.0-linux-amd64.tar.gz", layout);
        Assert.Contains("docker/containerd/v1.4.0/containerd-1.4.0-linux-amd64.tar.gz.sha256sum", layout);
        Assert.Contains("faasd/0.9.5/hack/faasd.service", layout);
        Assert.Contains("faasd/0.19.7/faasd.sha256", layout);
    }

    [Theory]
    [InlineData("abc0000000000000000000000000000000000000000000000000000000000def  containerd-1.7.27-linux-amd64.tar.gz\n", "abc0000000000000000000000000000000000000000000000000000000000def")]
    [InlineData("ABC0000000000000000000000000000000000000000000000000000000000DEF *containerd-1.7.27-linux-amd64.tar.gz\n", "abc0000000000000000000000000000000000000000000000000000000000def")]
    [InlineData("abc0000000000000000000000000000000000000000000000000000000000def\n", "abc0000000000000000000000000000000000000000000000000000000000def")]
    [InlineData("abc0000000000000000000000000000000000000000000000000000000000def  other.tar.gz\n", null)]
    public void Checksum_files_are_read_in_sha256sum_format(string text, string? expected) =>
        Assert.Equal(expected, ChecksumFile.Find(text, "containerd-1.7.27-linux-amd64.tar.gz"));
}
