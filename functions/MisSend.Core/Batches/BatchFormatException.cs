namespace MisSend.Core.Batches;

/// <summary>The input is not a batch we can inspect. The message is safe to show: it never quotes personal data.</summary>
public sealed class BatchFormatException(string message, long? line = null, long? column = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>1-based line of a JSON syntax error, when known.</summary>
    public long? Line { get; } = line;

    /// <summary>1-based column (byte position) of a JSON syntax error, when known.</summary>
    public long? Column { get; } = column;

    public override string ToString() =>
        Line is null ? Message : $"{Message} (line {Line}, column {Column})";
}
