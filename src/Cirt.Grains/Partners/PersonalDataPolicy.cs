namespace Cirt.Grains.Partners;

/// <summary>What may leave of personal data.</summary>
public enum PersonalDataPolicy
{
    /// <summary>Nothing: personal data found in free text holds the item for a coordinator's approval of a redacted version.</summary>
    None = 1,

    /// <summary>Victims' IP addresses leave as a keyed HMAC per partner; e-mail addresses and phone numbers still hold the item.</summary>
    Pseudonymised = 2,
}
