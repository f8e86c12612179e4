namespace MisSend.Core.Detection.Model;

/// <summary>
/// One shared text (the body, an attachment, the shared subject line) and the people whose data it carries to everyone who
/// sees it. A text that names a person exposes them to every outside recipient of its audience, so the exposures are
/// held here as one entry per person, not one <see cref="Reach"/> per (recipient, person): a 200-row roster sent to 1,000
/// recipients is 200,000 exposures, and nothing in the judgement needs them one by one.
/// </summary>
/// <remarks>
/// A recipient the batch already ties to the person (their own guide, a confirmed address) keeps a single
/// <see cref="Reach"/>, and so does a recipient a later pass looks at again (a visible address, a sender field). Every
/// other (personalization that sees the text, outside recipient) pair is a <em>cell</em> of the entry: not entitled, with
/// the categories of every text that shows the person there. <see cref="Verdict.Deliveries"/> lists the cells as rows.
/// </remarks>
/// <param name="SubjectLine">The text is the shared subject line: only personalizations without their own subject see it.</param>
/// <param name="Evidence">Masked words on why, for the finding's detail (the same for every cell).</param>
public sealed class TextExposure(bool subjectLine, string evidence)
{
    public bool SubjectLine { get; } = subjectLine;

    public string Evidence { get; } = evidence;

    public List<Entry> People { get; } = [];

    /// <summary>Does <paramref name="view"/> carry the text?</summary>
    public bool Reaches(View view) => !SubjectLine || view.Source.Subject is null;

    /// <summary>One person <paramref name="Text"/> names.</summary>
    /// <param name="Categories">What this text shows of them.</param>
    /// <param name="FirstCell">
    /// Where the cells stand among the reaches of the batch (<see cref="Reach.Sequence"/>): cell j of personalization v is
    /// <c>FirstCell + (outside recipients before v) + j</c>, as if each had been made when the text was read.
    /// </param>
    /// <param name="Subjectless">The cells are in the personalizations without their own subject line (no earlier text showed the person there).</param>
    /// <param name="Others">The cells are in the personalizations with their own subject line (likewise).</param>
    public sealed record Entry(TextExposure Text, Person Person, CategorySet Categories, long FirstCell, bool Subjectless, bool Others)
    {
        /// <summary>Is this entry the one whose cells stand in <paramref name="view"/> (the first text that showed the person there)?</summary>
        public bool HasCellsIn(View view) => view.Source.Subject is null ? Subjectless : Others;
    }
}
