using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Playwright;
using Cookie = System.Net.Cookie;

namespace ControlPanel.Tests.Support;

/// <summary>
/// A panel page's interactive session without a browser: what blazor.web.js does for a page, spoken over the same
/// SignalR hub (`/_blazor`, the blazorpack protocol). It reads the page's server component markers, starts a circuit,
/// adds those components to it, acknowledges every render batch (the panel holds back batches a client has not
/// acknowledged, as it would for a slow browser) and answers the panel's JS calls with null. It applies nothing to a
/// DOM: each batch's attribute values are handed to <see cref="Rendered"/>. Used where a browser per session would
/// measure the browsers (the live-log benchmark's 50 sessions on 2 cores), never in place of a browser for a flow.
/// </summary>
public sealed partial class CircuitSession : IAsyncDisposable
{
    readonly HubConnection connection;
    readonly TaskCompletionSource firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> errors = [];

    CircuitSession(HubConnection connection) => this.connection = connection;

    /// <summary>The attributes of each render batch, with when it arrived; called on the connection's receive loop.</summary>
    public event Action<RenderedAttributes>? Rendered;

    /// <summary>Render batches received (and acknowledged).</summary>
    public long Batches { get; private set; }

    /// <summary>Errors the panel sent this circuit (`JS.Error`) or a batch this client could not read.</summary>
    public IReadOnlyList<string> Errors { get { lock (errors) return [.. errors]; } }

    /// <summary>Opens <paramref name="page"/> (the cookies carry the sign-in) and starts its circuit; returns once the first batch arrived.</summary>
    public static async Task<CircuitSession> OpenAsync(Uri page, CookieContainer cookies, Action<RenderedAttributes>? rendered = null)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var response = await http.GetAsync(page);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{page} answered {(int)response.StatusCode} (signed in?)");
        var html = await response.Content.ReadAsStringAsync();
        var markers = ServerMarkers(html);
        if (markers.Count == 0) throw new InvalidOperationException($"{page} holds no interactive server component");
        var state = ComponentState().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(page, "/_blazor"), options => options.Cookies = cookies);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var session = new CircuitSession(builder.Build());
        if (rendered is not null) session.Rendered += rendered;
        session.Listen();
        await session.connection.StartAsync();

        var baseUri = new Uri(page, "/").ToString();
        var secret = await session.connection.InvokeAsync<string?>("StartCircuit", baseUri, page.ToString(), "[]", state);
        if (secret is null) throw new InvalidOperationException($"the panel refused the circuit: {string.Join("; ", session.Errors)}");
        var operations = new JsonObject
        {
            ["batchId"] = 0,
            ["operations"] = new JsonArray([.. markers.Select((marker, i) => (JsonNode)new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = i,
                ["marker"] = marker,
            })]),
        };
        await session.connection.SendAsync("UpdateRootComponents", operations.ToJsonString(), state);
        await session.firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return session;
    }

    /// <summary>A browser context's cookies (its sign-in) for sessions opened beside its pages.</summary>
    public static CookieContainer CookiesOf(Uri site, IEnumerable<BrowserContextCookiesResult> cookies)
    {
        var container = new CookieContainer();
        foreach (var c in cookies) container.Add(site, new Cookie(c.Name, c.Value, c.Path, c.Domain));
        return container;
    }

    void Listen()
    {
        connection.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            var at = DateTimeOffset.UtcNow;
            string? failure = null;
            try
            {
                Rendered?.Invoke(new RenderedAttributes(at, RenderBatchAttributes.Read(batch)));
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidOperationException)
            {
                failure = $"batch {batchId} unreadable: {e.Message}";
                lock (errors) errors.Add(failure);
            }
            Batches++;
            // As blazor.web.js does once a batch is applied; an error fails the circuit on the panel's side.
            await connection.SendAsync("OnRenderCompleted", batchId, failure);
            firstBatch.TrySetResult();
        });
        // (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType): a handle of 0 wants no answer.
        connection.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            var handle = (long)args[0]!;
            if (handle != 0) await connection.SendAsync("EndInvokeJSFromDotNet", handle, true, JsonSerializer.Serialize(new object?[] { handle, true, null }));
        });
        connection.On<string>("JS.Error", error =>
        {
            lock (errors) errors.Add(error);
            firstBatch.TrySetException(new InvalidOperationException("the panel failed the circuit: " + error));
        });
    }

    /// <summary>The start markers of the page's server components (`&lt;!--Blazor:{"type":"server",...}--&gt;`), in their order.</summary>
    static List<JsonObject> ServerMarkers(string html) =>
        [.. Marker().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!.AsObject())
            .Where(o => (string?)o["type"] == "server" && o["descriptor"] is not null)
            .OrderBy(o => (int?)o["sequence"] ?? 0)];

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex ComponentState();

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}

/// <summary>One render batch's attribute values (the last value of each name in the batch), with when it arrived.</summary>
public sealed record RenderedAttributes(DateTimeOffset ReceivedAt, IReadOnlyDictionary<string, string?> Values);
