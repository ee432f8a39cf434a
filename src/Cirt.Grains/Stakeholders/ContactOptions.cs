namespace Cirt.Grains.Stakeholders;

/// <summary>How fresh contacts must be (configuration section Cirt:Contacts).</summary>
public sealed class ContactOptions
{
    public const string Section = "Cirt:Contacts";

    /// <summary>A contact not confirmed for this long is stale: the CIRT may not reach anyone in a crisis.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(180);

    /// <summary>What is wrong with these settings, one sentence each naming the setting; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (StaleAfter <= TimeSpan.Zero)
        {
            yield return $"{Section}:{nameof(StaleAfter)} must be longer than zero (it is {StaleAfter}).";
        }
    }

    public bool IsStale(Contact contact, DateTimeOffset now) => contact.VerifiedAt is not { } verified || now - verified > StaleAfter;
}
