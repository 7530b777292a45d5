using Bunit;
using ControlPanel.Components.Pages;
using ControlPanel.Resources;

namespace ControlPanel.Tests.Components;

/// <summary>
/// The pages that change one setting of a host (mirrors, registry cache, proxy) and the pages of one run or batch,
/// rendered by bUnit over the panel's real services: what a user sees before anything runs, and what wrong input does.
/// Previews run on the dry-run host; nothing here changes this machine.
/// </summary>
public sealed class FormPagesTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    [Fact]
    public void Mirrors_names_every_wrong_field_at_once_and_starts_nothing()
    {
        var page = ui.Render<Mirrors>();
        page.WaitForElement("#mirrors-registry").Input("not a registry!");
        page.Find("[data-test='mirrors-set-preview']").Click();

        page.WaitForAssertion(() =>
        {
            Assert.NotEmpty(page.FindAll("[data-test='error-registry']"));
            Assert.NotEmpty(page.FindAll("[data-test='error-mirrors']"));
        });
        Assert.Empty(page.FindAll("[data-test='mirrors-set-preview-result']"));
        Assert.True(page.Find("[data-test='mirrors-set-start']").HasAttribute("disabled"));
    }

    [Fact]
    public void Mirrors_previews_a_valid_change_before_it_can_start()
    {
        var page = ui.Render<Mirrors>();
        page.WaitForElement("#mirrors-registry").Input("docker.io");
        page.Find("#mirrors-urls").Input("https://mirror.example.com");
        page.Find("[data-test='mirrors-set-preview']").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test='mirrors-set-preview-result'] section.preview-stage")),
            TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll(".field-error"));
    }

    [Fact]
    public void The_registry_cache_says_plainly_when_it_would_serve_every_interface_and_not_on_loopback()
    {
        var page = ui.Render<RegistryCache>();
        page.WaitForElement("#cache-listen").Input(":5000");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test='cache-listen-open']")));

        page.Find("#cache-listen").Input("127.0.0.1:5000");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test='cache-listen-open']")));
    }

    [Fact]
    public void The_registry_cache_form_names_every_wrong_field_at_once()
    {
        var page = ui.Render<RegistryCache>();
        page.WaitForElement("#cache-listen").Input("nowhere");
        page.Find("#cache-storage").Input("relative/dir");
        page.Find("#cache-username").Input("ada");
        page.Find("[data-test='cache-install-preview']").Click();

        page.WaitForAssertion(() => Assert.Equal(["error-listen", "error-storage", "error-upstreampassword"],
            page.FindAll(".field-error").Select(e => e.GetAttribute("data-test")).Order()));
        Assert.Empty(page.FindAll("[data-test='cache-install-preview-result']"));
    }

    [Fact]
    public void The_proxy_editor_names_the_wrong_field_and_shows_no_diff_for_it()
    {
        var page = ui.Render<Proxy>();
        page.WaitForElement("#proxy-domain").Input("not a domain");
        page.Find("[data-test='proxy-preview']").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-test='error-domain']")));
        Assert.Empty(page.FindAll("[data-test='proxy-diff']"));
    }

    [Fact]
    public void A_run_or_batch_that_does_not_exist_says_so()
    {
        var run = ui.Render<RunView>(p => p.Add(r => r.RunId, 4242));
        run.WaitForAssertion(() => Assert.Equal(S.RunMissing.ToString(), run.Find("[data-test='run-missing']").TextContent));

        var batch = ui.Render<Batch>(p => p.Add(b => b.Id, 4242));
        batch.WaitForAssertion(() => Assert.Equal(S.BatchNotFound.Format(4242), batch.Find("[data-test='batch-missing']").TextContent));
    }
}
