using System.Net.Mail;

namespace MisSend.Application.Inputs;

/// <summary>A single plain e-mail address, the only thing a policy's contactEmail may be: it becomes the notices' Reply-To.</summary>
public static class ContactAddress
{
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 254 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"'))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var address)
            && address.Address == value
            && string.IsNullOrEmpty(address.DisplayName)
            && address.Host.Contains('.');
    }
}
