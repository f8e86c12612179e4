using System.Text.RegularExpressions;
using MisSend.Core.Batches;

namespace MisSend.Cli;

/// <summary>How every command reads a batch file: a UTF-8 byte-order mark accepted, problems said in words, one position style.</summary>
public static partial class BatchFiles
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Why <paramref name="path"/> cannot be read as a batch, or null when it can.</summary>
    public static string? Problem(string path, int maxBytes)
    {
        if (Directory.Exists(path))
        {
            return "is a directory, not a batch file";
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return "file not found";
        }

        return info.Length > maxBytes ? $"body is {info.Length:N0} bytes; the limit is {maxBytes:N0} bytes (SendGrid accepts at most 30 MB)" : null;
    }

    /// <summary>The file's bytes without a UTF-8 byte-order mark (editors on Windows write one; JSON parsers reject it).</summary>
    public static byte[] ReadAllBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes;
    }

    /// <summary>The parser's message with one position style: "(line L, column C)", without System.Text.Json's own "LineNumber: … | BytePositionInLine: …".</summary>
    public static string Describe(BatchFormatException e)
    {
        var message = JsonPosition().Replace(e.Message, "").TrimEnd();
        return e.Line is null ? message : $"{message} (line {e.Line}, column {e.Column})";
    }

    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex JsonPosition();
}
