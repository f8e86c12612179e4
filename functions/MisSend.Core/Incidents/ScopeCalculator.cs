using MisSend.Core.Detection;
using MisSend.Core.Text;

namespace MisSend.Core.Incidents;

/// <summary>
/// Computes who received whose data from a job's recorded deliveries and the operator's declarations. A declaration
/// never makes a person's own mail an exposure: the intended recipients of a row (and the data subject's own address)
/// are not "other people" for that row's data.
/// </summary>
public static class ScopeCalculator
{
    /// <summary>The scope of every declaration in force together (their union).</summary>
    public static ScopeResult Compute(IReadOnlyList<JobDelivery> deliveries, IReadOnlyList<ScopeDeclaration> declarations)
    {
        if (deliveries.Count == 0)
        {
            return ScopeResult.Failed([new ScopeError(null, ScopeErrorCode.NoDeliveries)]);
        }

        var job = new JobRows(deliveries);
        var exposures = new ExposureSet(job);
        var errors = new List<ScopeError>();
        var unpaired = 0;
        foreach (var declaration in declarations)
        {
            switch (declaration.Kind)
            {
                case ScopeDeclarationKind.Everyone:
                    exposures.Everyone = true;
                    break;
                case ScopeDeclarationKind.Shifted:
                    unpaired += AddShifted(job, exposures, declaration.Shift ?? 0, declaration.Categories, errors);
                    break;
                case ScopeDeclarationKind.List:
                    AddList(job, exposures, declaration.Pairs ?? [], errors);
                    break;
            }
        }

        return errors.Count > 0 ? ScopeResult.Failed(errors) : new ScopeResult(exposures.ToScope(declarations, unpaired), []);
    }

    /// <summary>Rows in send order (chunk, then personalization): row i's recipients got row i+k's data. Rows whose i+k lies outside the job have no counterpart.</summary>
    private static int AddShifted(JobRows job, ExposureSet exposures, int k, IReadOnlyList<DataCategory>? declared, List<ScopeError> errors)
    {
        var n = job.Rows.Count;
        if (k == 0 || Math.Abs(k) >= n)
        {
            errors.Add(new ScopeError(null, ScopeErrorCode.BadShift, k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return 0;
        }

        for (var i = 0; i < n; i++)
        {
            var j = i + k;
            if (j < 0 || j >= n)
            {
                continue;
            }

            foreach (var r in job.Rows[i].Recipients)
            {
                foreach (var (s, categories) in job.Rows[j].Subjects)
                {
                    if (!job.IsOwn(r, s))
                    {
                        exposures.Add(r, s, declared is null ? categories : CategoryMask.Of(declared), job.Rows[i].SentAt);
                    }
                }
            }
        }

        return Math.Abs(k);
    }

    private static void AddList(JobRows job, ExposureSet exposures, IReadOnlyList<DeclaredPair> pairs, List<ScopeError> errors)
    {
        foreach (var pair in pairs)
        {
            var known = true;
            if (!job.RecipientIndex.TryGetValue(TextNormalizer.NormalizeEmail(pair.Recipient), out var r))
            {
                errors.Add(new ScopeError(pair.Line, ScopeErrorCode.UnknownRecipient, Mask.Email(pair.Recipient)));
                known = false;
            }

            if (!job.TryFindSubject(pair.Subject, out var s))
            {
                errors.Add(new ScopeError(pair.Line, ScopeErrorCode.UnknownSubject, Mask.Value(pair.Subject)));
                known = false;
            }

            if (!known)
            {
                continue;
            }

            if (job.IsOwn(r, s))
            {
                errors.Add(new ScopeError(pair.Line, ScopeErrorCode.OwnData, Mask.Email(pair.Recipient)));
                continue;
            }

            var categories = pair.Categories is { } declared ? CategoryMask.Of(declared) : job.SubjectCategories[s];
            exposures.Add(r, s, categories, job.RecipientFirstSentAt[r]);
        }
    }

    /// <summary>The job's deliveries as rows, people and indexes.</summary>
    private sealed class JobRows
    {
        public readonly List<Row> Rows;
        public readonly List<string> Recipients = [];
        public readonly Dictionary<string, int> RecipientIndex = new(StringComparer.Ordinal);
        public readonly List<DataSubject> Subjects = [];
        public readonly Dictionary<string, int> SubjectIndex = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> SubjectByEmail = new(StringComparer.Ordinal);
        public readonly List<uint> SubjectCategories = [];
        public readonly List<DateTimeOffset> SubjectSentAt = [];
        public readonly List<DateTimeOffset> RecipientFirstSentAt = [];

        /// <summary>Per subject: the recipients for whom its data is their own mail.</summary>
        public readonly List<HashSet<int>> Own = [];

        public JobRows(IReadOnlyList<JobDelivery> deliveries)
        {
            Rows = [];
            foreach (var group in deliveries.GroupBy(d => (d.Chunk, d.Personalization)).OrderBy(g => g.Key.Chunk).ThenBy(g => g.Key.Personalization))
            {
                var sentAt = group.Min(d => d.SentAt);
                var recipients = group.Select(d => RecipientOf(d.Recipient, sentAt)).Distinct().ToArray();
                var subjects = group.GroupBy(d => d.Subject.Key)
                    .Select(g => (Subject: SubjectOf(g.First().Subject, sentAt), Categories: CategoryMask.Of(g.SelectMany(d => d.Categories))))
                    .ToArray();
                foreach (var (s, categories) in subjects)
                {
                    SubjectCategories[s] |= categories;
                    Own[s].UnionWith(recipients);
                }

                Rows.Add(new Row(sentAt, recipients, subjects));
            }

            for (var s = 0; s < Subjects.Count; s++)
            {
                if (Subjects[s].Email is { } email && RecipientIndex.TryGetValue(email, out var self))
                {
                    Own[s].Add(self);
                }
            }
        }

        public bool IsOwn(int recipient, int subject) => Own[subject].Contains(recipient);

        /// <summary>A declared subject is a ledger subject key or a data subject's e-mail address.</summary>
        public bool TryFindSubject(string subject, out int index) =>
            SubjectIndex.TryGetValue(subject, out index) || SubjectByEmail.TryGetValue(TextNormalizer.NormalizeEmail(subject), out index);

        private int RecipientOf(string address, DateTimeOffset sentAt)
        {
            var normalized = TextNormalizer.NormalizeEmail(address);
            if (RecipientIndex.TryGetValue(normalized, out var index))
            {
                RecipientFirstSentAt[index] = Min(RecipientFirstSentAt[index], sentAt);
                return index;
            }

            RecipientIndex[normalized] = Recipients.Count;
            Recipients.Add(normalized);
            RecipientFirstSentAt.Add(sentAt);
            return Recipients.Count - 1;
        }

        private int SubjectOf(DataSubject subject, DateTimeOffset sentAt)
        {
            if (SubjectIndex.TryGetValue(subject.Key, out var index))
            {
                // The ledger may know the address or the name from one delivery and not another.
                var known = Subjects[index];
                Subjects[index] = known with { Email = known.Email ?? Normalized(subject.Email), Name = known.Name ?? subject.Name };
                SubjectSentAt[index] = Min(SubjectSentAt[index], sentAt);
            }
            else
            {
                index = Subjects.Count;
                SubjectIndex[subject.Key] = index;
                Subjects.Add(subject with { Email = Normalized(subject.Email) });
                SubjectCategories.Add(0);
                SubjectSentAt.Add(sentAt);
                Own.Add([]);
            }

            if (Subjects[index].Email is { } email)
            {
                SubjectByEmail.TryAdd(email, index);
            }

            return index;
        }

        private static string? Normalized(string? email) => email is null ? null : TextNormalizer.NormalizeEmail(email);

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
    }

    private sealed record Row(DateTimeOffset SentAt, int[] Recipients, (int Subject, uint Categories)[] Subjects);

    /// <summary>
    /// Who received whose data: "everyone received everything", or explicit pairs. Every valid pair lies inside
    /// "everyone" (both people are in the job and the data is not the recipient's own), so the union of "everyone"
    /// with any pairs is "everyone" plus the categories the pairs add; a 10,000-person job never needs 10⁸ pairs.
    /// </summary>
    private sealed class ExposureSet(JobRows job)
    {
        private readonly Dictionary<(int Recipient, int Subject), (uint Categories, DateTimeOffset SentAt)> _pairs = [];

        public bool Everyone { get; set; }

        public void Add(int recipient, int subject, uint categories, DateTimeOffset sentAt) =>
            _pairs[(recipient, subject)] = _pairs.TryGetValue((recipient, subject), out var known)
                ? (known.Categories | categories, known.SentAt <= sentAt ? known.SentAt : sentAt)
                : (categories, sentAt);

        public DeclaredScope ToScope(IReadOnlyList<ScopeDeclaration> declarations, int unpaired)
        {
            var subjectCount = new int[job.Subjects.Count];
            var subjectCategories = new uint[job.Subjects.Count];
            var subjectSentAt = new DateTimeOffset?[job.Subjects.Count];
            var recipientCount = new int[job.Recipients.Count];
            var recipientCategories = new uint[job.Recipients.Count];
            var recipientSentAt = new DateTimeOffset?[job.Recipients.Count];
            long exposures;
            if (Everyone)
            {
                exposures = CountEveryone(subjectCount, subjectCategories, subjectSentAt, recipientCount, recipientCategories, recipientSentAt);
            }
            else
            {
                exposures = _pairs.Count;
                foreach (var ((r, s), (categories, sentAt)) in _pairs)
                {
                    subjectCount[s]++;
                    recipientCount[r]++;
                    subjectSentAt[s] = Earliest(subjectSentAt[s], sentAt);
                    recipientSentAt[r] = Earliest(recipientSentAt[r], sentAt);
                }
            }

            foreach (var ((r, s), (categories, _)) in _pairs)
            {
                subjectCategories[s] |= categories;
                recipientCategories[r] |= categories;
            }

            var subjects = Enumerable.Range(0, job.Subjects.Count).Where(s => subjectCount[s] > 0)
                .Select(s => new AffectedSubject(job.Subjects[s], CategoryMask.ToList(subjectCategories[s]), subjectCount[s], subjectSentAt[s]!.Value))
                .ToArray();
            var recipients = Enumerable.Range(0, job.Recipients.Count).Where(r => recipientCount[r] > 0)
                .Select(r => new AffectedRecipient(job.Recipients[r], recipientCount[r], CategoryMask.ToList(recipientCategories[r]), recipientSentAt[r]!.Value))
                .ToArray();
            return new DeclaredScope(declarations, subjects, recipients, exposures, unpaired);
        }

        /// <summary>Each subject's data went to every recipient of the job but their own, in the mail of the subject's row.</summary>
        private long CountEveryone(int[] subjectCount, uint[] subjectCategories, DateTimeOffset?[] subjectSentAt,
            int[] recipientCount, uint[] recipientCategories, DateTimeOffset?[] recipientSentAt)
        {
            var ownSubjects = new List<int>?[job.Recipients.Count];
            var inSendOrder = Enumerable.Range(0, job.Subjects.Count).OrderBy(s => job.SubjectSentAt[s]).ToArray();
            var total = new int[CategoryMask.Width];
            long exposures = 0;
            for (var s = 0; s < job.Subjects.Count; s++)
            {
                subjectCount[s] = job.Recipients.Count - job.Own[s].Count;
                exposures += subjectCount[s];
                subjectCategories[s] = job.SubjectCategories[s];
                subjectSentAt[s] = job.SubjectSentAt[s];
                CategoryMask.AddTo(total, job.SubjectCategories[s], +1);
                foreach (var r in job.Own[s])
                {
                    (ownSubjects[r] ??= []).Add(s);
                }
            }

            for (var r = 0; r < job.Recipients.Count; r++)
            {
                var own = ownSubjects[r] ?? [];
                recipientCount[r] = job.Subjects.Count - own.Count;
                var notOwn = (int[])total.Clone();
                foreach (var s in own)
                {
                    CategoryMask.AddTo(notOwn, job.SubjectCategories[s], -1);
                }

                recipientCategories[r] = CategoryMask.FromCounts(notOwn);
                var first = inSendOrder.FirstOrDefault(s => !own.Contains(s), -1);
                recipientSentAt[r] = first < 0 ? null : job.SubjectSentAt[first];
            }

            return exposures;
        }

        private static DateTimeOffset Earliest(DateTimeOffset? known, DateTimeOffset at) => known is { } k && k <= at ? k : at;
    }
}

/// <summary>A set of data categories as bits, for adding up millions of exposures without allocating.</summary>
internal static class CategoryMask
{
    public static readonly int Width = Enum.GetValues<DataCategory>().Length;

    public static uint Of(IEnumerable<DataCategory> categories) => categories.Aggregate(0u, (mask, c) => mask | (1u << (int)c));

    public static DataCategory[] ToList(uint mask) => Enum.GetValues<DataCategory>().Where(c => (mask & (1u << (int)c)) != 0).ToArray();

    public static void AddTo(int[] counts, uint mask, int delta)
    {
        for (var bit = 0; bit < Width; bit++)
        {
            if ((mask & (1u << bit)) != 0)
            {
                counts[bit] += delta;
            }
        }
    }

    public static uint FromCounts(int[] counts)
    {
        var mask = 0u;
        for (var bit = 0; bit < Width; bit++)
        {
            mask |= counts[bit] > 0 ? 1u << bit : 0;
        }

        return mask;
    }
}
