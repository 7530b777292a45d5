using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ControlPanel.Tests.Support;

/// <summary>
/// The hub protocol Blazor's circuits speak: SignalR's MessagePack hub protocol under the name "blazorpack" (version 2,
/// as blazor.web.js announces it). The panel accepts no other protocol on `/_blazor`, and the one it has is internal
/// to ASP.NET Core; on the wire the two are the same for the types a circuit sends (strings, integers, booleans, bytes).
/// </summary>
sealed class BlazorPackProtocol : IHubProtocol
{
    readonly MessagePackHubProtocol inner = new();

    public string Name => "blazorpack";
    public int Version => 2;
    public TransferFormat TransferFormat => TransferFormat.Binary;
    public bool IsVersionSupported(int version) => version <= Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}
