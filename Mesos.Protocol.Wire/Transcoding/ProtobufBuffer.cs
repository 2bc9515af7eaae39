using System.Buffers.Binary;
using System.Text;
using WireType = Google.Protobuf.WireFormat.WireType;

namespace Mesos.Protocol.Wire.Transcoding;

/// <summary>
/// A growing byte buffer that writes protobuf's binary encoding. A nested message's length is only known once the
/// message is written, so a length-delimited value reserves the longest length varint a buffer can need and shifts
/// its body back over the unused part when it ends.
/// </summary>
internal sealed class ProtobufBuffer(int capacity)
{
    private const int ReservedLengthBytes = 5;

    private byte[] bytes = new byte[capacity];
    private int position;

    public void WriteTag(int fieldNumber, WireType type) => WriteVarint((uint)((fieldNumber << 3) | (int)type));

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            bytes[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[position++] = (byte)value;
    }

    public void WriteFixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), value);
        position += 4;
    }

    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(position), value);
        position += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(bytes.AsSpan(position));
        position += value.Length;
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        Ensure(length);
        position += Encoding.UTF8.GetBytes(value, bytes.AsSpan(position));
    }

    /// <summary>Reserves room for a length; returns where it starts, for <see cref="EndLengthDelimited"/>.</summary>
    public int BeginLengthDelimited()
    {
        Ensure(ReservedLengthBytes);
        var start = position;
        position += ReservedLengthBytes;
        return start;
    }

    public void EndLengthDelimited(int start)
    {
        var bodyStart = start + ReservedLengthBytes;
        var length = position - bodyStart;
        var lengthBytes = VarintSize((uint)length);
        if (lengthBytes < ReservedLengthBytes)
        {
            bytes.AsSpan(bodyStart, length).CopyTo(bytes.AsSpan(start + lengthBytes));
            position -= ReservedLengthBytes - lengthBytes;
        }

        var at = start;
        var remaining = (uint)length;
        while (remaining >= 0x80)
        {
            bytes[at++] = (byte)(remaining | 0x80);
            remaining >>= 7;
        }

        bytes[at] = (byte)remaining;
    }

    public byte[] ToArray() => bytes.AsSpan(0, position).ToArray();

    private static int VarintSize(uint value) =>
        value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;

    private void Ensure(int more)
    {
        if (position + more <= bytes.Length)
        {
            return;
        }

        Array.Resize(ref bytes, Math.Max(bytes.Length * 2, position + more));
    }
}
