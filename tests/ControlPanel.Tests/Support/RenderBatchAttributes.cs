using System.Buffers.Binary;
using System.Text;

namespace ControlPanel.Tests.Support;

/// <summary>
/// Reads the attribute frames of a Blazor render batch, the binary a circuit sends (`JS.RenderBatch`), laid out as
/// blazor.web.js reads it: five little-endian int32 offsets at its end (updated components, reference frames, disposed
/// component ids, disposed event handler ids, string table); reference frames of 20 bytes (an attribute frame: type 3,
/// then its name's and its value's index in the string table); the string table an int32 offset per string, each
/// string its UTF-8 length as a 7-bit varint then its bytes. An attribute a batch changes or adds is one of its frames.
/// </summary>
public static class RenderBatchAttributes
{
    const int AttributeFrame = 3;
    const int FrameSize = 20;

    /// <summary>Every attribute frame's name and value (null for a valueless one); the later of two frames of one name wins.</summary>
    public static IReadOnlyDictionary<string, string?> Read(ReadOnlySpan<byte> batch)
    {
        var framesAt = Int(batch, batch.Length - 16);
        var stringsAt = Int(batch, batch.Length - 4);
        var count = Int(batch, framesAt);
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < count; i++)
        {
            var frame = framesAt + 4 + i * FrameSize;
            if (Int(batch, frame) != AttributeFrame) continue;
            var name = String(batch, stringsAt, Int(batch, frame + 4))
                ?? throw new InvalidOperationException($"attribute frame {i} has no name");
            values[name] = String(batch, stringsAt, Int(batch, frame + 8));
        }
        return values;
    }

    static int Int(ReadOnlySpan<byte> batch, int at) => BinaryPrimitives.ReadInt32LittleEndian(batch.Slice(at, 4));

    static string? String(ReadOnlySpan<byte> batch, int table, int index)
    {
        if (index == -1) return null;
        var at = Int(batch, table + 4 * index);
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = batch[at++];
            length |= (b & 0x7f) << shift;
            if (b < 0x80) break;
        }
        return Encoding.UTF8.GetString(batch.Slice(at, length));
    }
}
