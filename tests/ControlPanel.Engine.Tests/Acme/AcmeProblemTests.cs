using System.Text.Json.Nodes;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>Problem documents reach the message verbatim, subproblems with the identifier they are about.</summary>
public sealed class AcmeProblemTests
{
    [Fact]
    public void Subproblems_are_listed_with_their_identifiers()
    {
        // RFC 8555 section 6.7.1's example.
        var json = JsonNode.Parse("""
            {
              "type": "urn:ietf:params:acme:error:malformed",
              "detail": "Some of the identifiers requested were rejected",
              "subproblems": [
                { "type": "urn:ietf:params:acme:error:malformed", "detail": "Invalid underscore in DNS name \"_example.org\"",
                  "identifier": { "type": "dns", "value": "_example.org" } },
                { "type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "This CA will not issue for \"example.net\"",
                  "identifier": { "type": "dns", "value": "example.net" } }
              ]
            }
            """);
        var e = new AcmeProblemException(AcmeProblem.Parse(json), "HTTP 400 from https://ca/new-order");
        Assert.Equal(
            "urn:ietf:params:acme:error:malformed: Some of the identifiers requested were rejected " +
            "[_example.org: urn:ietf:params:acme:error:malformed: Invalid underscore in DNS name \"_example.org\"; " +
            "example.net: urn:ietf:params:acme:error:rejectedIdentifier: This CA will not issue for \"example.net\"] (HTTP 400 from https://ca/new-order)",
            e.Message);
    }

    [Fact]
    public async Task A_name_the_ca_refuses_fails_the_order_with_its_words()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => AcmeTestSupport.IssueAsync(pebble, data.Path, ["under_score.panel.test"]));
        Assert.StartsWith("urn:ietf:params:acme:error:", e.Message);
        Assert.Contains("under_score.panel.test", e.Message);
        Assert.Contains($"from https://127.0.0.1:{pebble.Port}/", e.Message);
    }
}
