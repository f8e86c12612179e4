namespace MisSend.Core.Detection;

/// <summary>Every number the detector decides with, in one place, each with the reason for its value.</summary>
public static class Thresholds
{
    /// <summary>SendGrid's limits for one mail/send request; a batch over them is halted (with its other findings).</summary>
    public const int MaxPersonalizations = 1000;

    public const int MaxRecipients = 1000;

    /// <summary>
    /// A value held by this many different people identifies none of them (a surname, a household address, a venue)...
    /// </summary>
    public const int CommonValueMinPeople = 3;

    /// <summary>... or by one person in this many of the batch, whichever is more.</summary>
    public const int CommonValueBatchShare = 50;

    /// <summary>Lines that each name or identify a person make a roster: two already show it is a list of people.</summary>
    public const int RosterMinRows = 2;

    /// <summary>
    /// Kinds of personal identifier (a labelled name, a private e-mail, a mobile number, a date of birth, a member number)
    /// that make one outside person identifiable in shared text. One alone may be anyone's; two describe a person.
    /// </summary>
    public const int StrangerMinKinds = 2;

    /// <summary>A child's data may go to both parents in separate mails; to more recipients than this, it is copied.</summary>
    public const int MaxGuardiansPerDependant = 2;

    /// <summary>Shortest member number or other id (after folding) that identifies someone, and shortest needle of ASCII text.</summary>
    public const int MinIdLength = 4;

    public const int MinAsciiNeedleLength = 5;

    /// <summary>Shortest phone number (digits) that is a whole number rather than an extension or a fragment.</summary>
    public const int MinPhoneDigits = 9;

    /// <summary>Characters before a name searched for a salutation or label ("Dear Ms", "Sehr geehrte Frau", "氏名:").</summary>
    public const int SalutationWindow = 20;
}
