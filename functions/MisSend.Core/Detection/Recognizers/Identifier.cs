namespace MisSend.Core.Detection.Recognizers;

/// <summary>One identifying value found in a text, by its shape or its label.</summary>
/// <param name="Value">The value, normalized for comparison (an address in lower case, a phone as national digits, a name's key).</param>
/// <param name="Personal">
/// Whether the value points at a person rather than an organisation: a mobile number, a private mailbox, a labelled
/// date of birth are; an office landline, a help desk's address, the sender's own bank account are not.
/// </param>
public sealed record Identifier(DataCategory Category, int Start, int Length, string Value, bool Personal)
{
    public int End => Start + Length;
}
