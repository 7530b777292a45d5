using Microsoft.AspNetCore.Localization;

namespace ControlPanel.Web.Localization;

/// <summary>
/// GET /culture?name=zh-Hans&amp;returnUrl=/runs: stores the language in a cookie and goes back. A Blazor circuit
/// takes its culture when it starts, so the switch is a full page load. Open to everyone (the login page has it too).
/// </summary>
public static class CultureEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapGet("/culture", (HttpContext http, string? name, string? returnUrl) =>
        {
            var culture = PanelCultures.Supported.Contains(name) ? name! : PanelCultures.English;
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();

    /// <summary>
    /// Only paths of this site: no scheme, no "//host" and no "/\host" tricks, and no control or space characters
    /// anywhere (browsers drop tabs and newlines from a URL, so "/\t/host" would become "//host").
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}
