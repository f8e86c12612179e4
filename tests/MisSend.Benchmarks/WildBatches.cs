using System.Text;
using MisSend.TestSupport.Corpus.Wild;
using SG = SendGrid.Helpers.Mail;

namespace MisSend.Benchmarks;

/// <summary>Benchmark bodies from the corpus kit, at SendGrid's 1,000-personalization limit.</summary>
public static class WildBatches
{
    private static readonly Shape Display = new(NativeKeys: true, Substitutions: false, DisplayNames: true, OwnerEmail: true);

    /// <summary>German school reports: guardian and pupil per personalization, in German keys.</summary>
    public static byte[] School(int count)
    {
        var families = Humans.Make("de", count, seed: 77).DistinctBy(p => p.FullName + p.Id).ToList();
        return Encoding.UTF8.GetBytes(Kit.Json(Kit.PerRecipient("school", "de", families, Display)));
    }

    /// <summary>One customer's water bill copied into every personalization, as CreateSingleTemplateEmailToMultipleRecipients does.</summary>
    public static byte[] Copied(int count)
    {
        var people = Humans.Make("en", count, seed: 78);
        var sender = Kit.SenderOf("utility", "en");
        var msg = SG.MailHelper.CreateSingleTemplateEmailToMultipleRecipients(Kit.From(sender), people.Select(p => Kit.To(p, Display)).ToList(),
            Kit.TemplateId("utility"), Kit.ToPlain(Kit.Data("utility", people[0], Display)));
        return Encoding.UTF8.GetBytes(Kit.Json(msg));
    }

    /// <summary>Clean Japanese guides whose shared body carries a pasted member list of <paramref name="rows"/> strangers.</summary>
    public static byte[] WithRoster(int count, int rows)
    {
        var people = Humans.Make("ja", count, seed: 79);
        var msg = Kit.PerRecipient("tickets", "ja", people, Display);
        var strangers = Humans.Make("ja", rows, seed: 80, firstId: 50_000);
        msg.AddContent("text/plain", "会員名簿\n" + string.Join("\n", strangers.Select(s => $"{s.FullName}, {s.Email}, {s.Mobile}, {s.CustomerNo}")));
        return Encoding.UTF8.GetBytes(Kit.Json(msg));
    }
}
