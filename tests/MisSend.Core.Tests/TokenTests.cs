using MisSend.Core;
using MisSend.Core.Notices;
using static MisSend.Core.Tests.IncidentFixtures;

namespace MisSend.Core.Tests;

/// <summary>Issue 11 §5: short signed link tokens with a purpose, and a keyed recipient part.</summary>
public sealed class TokenTests
{
    private static readonly DateTimeOffset Expires = SentAt.AddDays(30);

    [Fact]
    public void Confirmation_token_round_trips_and_is_short_enough_for_a_button_link()
    {
        var claims = new ConfirmationToken.Claims("INC-7F3KQ2M9X4AB", RecipientKey.For("taro.yamada@example.jp", Key), Expires);
        var token = ConfirmationToken.Create(claims, Key);

        Assert.Equal((claims, (TokenFailure?)null), ConfirmationToken.Validate(token, Key, SentAt));
        Assert.Equal(68, token.Length); // purpose 2 + incident 16 + recipient key 16 + expiry 8 + signature 22 + 4 dots
        Assert.Equal(token, Uri.EscapeDataString(token)); // nothing to escape in a URL
        Assert.True(("https://www.reds-seasonticket.example.jp/privacy/confirm?token=" + token).Length <= 140);
        Assert.DoesNotContain("@", token);
        Assert.DoesNotContain("yamada", token);
    }

    [Fact]
    public void Token_is_valid_until_its_expiry_and_expired_after()
    {
        var token = SignedToken.Create(TokenPurposes.DeletedUnread, ["INC-1", "k"], Expires, Key);

        Assert.True(SignedToken.Validate(token, TokenPurposes.DeletedUnread, Key, Expires).IsValid);
        Assert.Equal(new TokenValidation(null, Expires, TokenFailure.Expired), SignedToken.Validate(token, TokenPurposes.DeletedUnread, Key, Expires.AddSeconds(1)));
    }

    [Fact]
    public void A_token_for_one_purpose_is_refused_for_another()
    {
        var notMine = SignedToken.Create(TokenPurposes.NotMine, ["reds-2027-payment-guide", "2", "117"], Expires, Key);

        Assert.Equal(["reds-2027-payment-guide", "2", "117"], SignedToken.Validate(notMine, TokenPurposes.NotMine, Key, SentAt).Fields);
        Assert.Equal(TokenFailure.WrongPurpose, SignedToken.Validate(notMine, TokenPurposes.DeletedUnread, Key, SentAt).Failure);
        Assert.Equal(TokenFailure.WrongPurpose, ConfirmationToken.Validate(notMine, Key, SentAt).Failure);
    }

    [Fact]
    public void Forged_altered_or_malformed_tokens_are_refused_with_the_reason()
    {
        var token = ConfirmationToken.Create(new("INC-1", "alice", Expires), Key);
        var other = ConfirmationToken.Create(new("INC-1", "bob", Expires), Key);
        var (body, signature) = (token[..token.LastIndexOf('.')], token[(token.LastIndexOf('.') + 1)..]);
        string Reason(string? t) => ConfirmationToken.Validate(t, Key, SentAt).Failure is { } f ? StoredName.Of(f) : "valid";

        Assert.Equal("valid", Reason(token));
        Assert.Equal("bad-signature", Reason(other[..other.LastIndexOf('.')] + "." + signature)); // bob's body, alice's signature
        Assert.Equal("bad-signature", Reason(body.Replace("alice", "alicf") + "." + signature));
        Assert.Equal("bad-signature", Reason(body + "." + (signature[0] == 'A' ? 'B' : 'A') + signature[1..]));
        Assert.Equal("bad-signature", Reason(body + "0." + signature)); // expiry moved

        Assert.Equal("bad-signature", ConfirmationToken.Validate(token, new byte[32], SentAt).Failure is { } f ? StoredName.Of(f) : "valid");
        Assert.Equal("malformed", Reason(body + "." + signature[..^1])); // a signature of the wrong length
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var unusedBitSet = signature[..^1] + Alphabet[Alphabet.IndexOf(signature[^1]) | 1]; // 22 characters carry 132 bits for 128
        Assert.Equal("malformed", Reason(body + "." + unusedBitSet)); // the same signature bytes, but not the one encoding of them
        Assert.Equal("malformed", Reason(body + "."));
        Assert.Equal("malformed", Reason(body + ".!!!!!!!!!!!!!!!!!!!!!!"));
        Assert.Equal("malformed", Reason(null));
        Assert.Equal("malformed", Reason(""));
        Assert.Equal("malformed", Reason("abc"));
    }

    [Fact]
    public void Fields_that_are_not_url_safe_travel_encoded_and_come_back_unchanged()
    {
        string[] fields = ["浦和レッズ/2027.支払い", "~tilde", "a.b", "chunk 2"];
        var token = SignedToken.Create(TokenPurposes.NotMine, fields, Expires, Key);

        Assert.Equal(fields, SignedToken.Validate(token, TokenPurposes.NotMine, Key, SentAt).Fields);
        Assert.Equal(token, Uri.EscapeDataString(token));
        Assert.Throws<ArgumentException>(() => SignedToken.Create("not mine", fields, Expires, Key));
    }

    [Fact]
    public void Recipient_key_is_keyed_stable_and_folds_how_the_address_was_typed()
    {
        var key = RecipientKey.For("taro.yamada@example.jp", Key);

        Assert.Equal(16, key.Length);
        Assert.Equal(key, RecipientKey.For("  Taro.Yamada@EXAMPLE.jp ", Key));
        Assert.Equal(key, RecipientKey.For("ｔａｒｏ.yamada@example.jp", Key)); // 全角
        Assert.NotEqual(key, RecipientKey.For("hanako.sato@example.ne.jp", Key));
        Assert.NotEqual(key, RecipientKey.For("taro.yamada@example.jp", new byte[32])); // without the key nobody can compute it

        // Not a plain hash of the address: a list of addresses does not tell whose link it is.
        var plain = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("taro.yamada@example.jp"u8.ToArray()));
        Assert.DoesNotContain(key[..8], plain.Replace('+', '-').Replace('/', '_'));
    }
}
