using System.Globalization;
using Bunit;
using ControlPanel.Components.Layout;
using ControlPanel.Web.Localization;
using MudBlazor;

namespace ControlPanel.Tests.Components;

/// <summary>What the panel shows that is not its own page text: Blazor's reconnect dialog and MudBlazor's own texts, in Chinese.</summary>
public sealed class LocalizedControlsTests : IAsyncDisposable
{
    readonly PanelUi ui = new();
    readonly CultureInfo before = CultureInfo.CurrentUICulture;

    public async ValueTask DisposeAsync()
    {
        CultureInfo.CurrentUICulture = before;
        await ui.DisposeAsync();
    }

    static void Use(string culture) => CultureInfo.CurrentUICulture = new CultureInfo(culture);

    [Fact]
    public void The_reconnect_dialog_speaks_the_pages_language()
    {
        Use(PanelCultures.Chinese);
        var zh = ui.Render<ReconnectModal>();
        Assert.Equal("components-reconnect-modal", zh.Find("[data-test='reconnect']").Id);
        Assert.Contains("正在重新连接", zh.Find(".reconnect-trying").TextContent);
        Assert.Equal("重试", zh.Find("[data-reconnect='retry']").TextContent);
        Assert.Equal("重新加载", zh.Find("[data-reconnect='reload']").TextContent);

        Use(PanelCultures.English);
        var en = ui.Render<ReconnectModal>();
        Assert.Contains("Reconnecting", en.Find(".reconnect-trying").TextContent);
    }

    [Fact]
    public void MudBlazors_own_texts_come_from_our_resource_file_in_chinese_and_stay_mudblazors_in_english()
    {
        var interceptor = ui.Service<ILocalizationInterceptor>();
        Use(PanelCultures.Chinese);
        Assert.Equal("关闭对话框", interceptor.Handle("MudDialog_Close").Value);
        Assert.Equal("第 2 页", interceptor.Handle("MudPagination_PageIndex", 2).Value);
        // A key the resource file does not have keeps MudBlazor's English rather than showing the key.
        Assert.Equal("Apply", interceptor.Handle("MudDataGrid_Apply").Value);

        Use(PanelCultures.English);
        Assert.Equal("Close dialog", interceptor.Handle("MudDialog_Close").Value);
    }
}
