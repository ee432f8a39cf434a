using Cirt.Grains.Incidents;

namespace Cirt.Grains.Taxonomy;

/// <summary>
/// The severity an automated incident is given before anyone has looked at it, from the RSIT class
/// and type of its events, unless the events (or their feed's registry settings) name one: then
/// theirs counts. Among an incident's events the most severe wins, across aggregation passes too.
/// The table reads the types as a national CIRT would see one stakeholder's events of one day:
/// <list type="bullet">
/// <item>Critical: an intruder holds the system or a privileged account (<c>system-compromise</c>, <c>privileged-account-compromise</c>).</item>
/// <item>High: the stakeholder's systems act for an attacker, or data or service is taken away
/// (<c>c2-server</c>, <c>malware-distribution</c>, <c>ddos</c>, <c>sabotage</c>, other compromises, <c>burglary</c>,
/// every <c>information-content-security</c> type).</item>
/// <item>Medium: something is wrong on its side and needs its action (<c>infected-system</c>, <c>phishing</c>,
/// <c>brute-force</c>, <c>exploit</c>, <c>dos</c>, <c>outage</c>, most <c>vulnerable</c> types…).</item>
/// <item>Low: background noise or hygiene (<c>scanner</c>, <c>spam</c>, <c>ids-alert</c>, <c>weak-crypto</c>,
/// <c>misconfiguration</c>, <c>copyright</c>, <c>other</c>, <c>test</c>…).</item>
/// </list>
/// A type the table does not know (a taxonomy newer than the table) gets <see cref="Fallback"/>.
/// </summary>
public static class AutomatedSeverity
{
    /// <summary>What a class/type pair the table does not hold is given: worth a look, not an alarm.</summary>
    public const Severity Fallback = Severity.Medium;

    private static readonly Dictionary<(string Class, string Type), Severity> Table = new()
    {
        [("abusive-content", "spam")] = Severity.Low,
        [("abusive-content", "harmful-speech")] = Severity.Low,
        [("abusive-content", "violence")] = Severity.Medium,
        [("malicious-code", "infected-system")] = Severity.Medium,
        [("malicious-code", "c2-server")] = Severity.High,
        [("malicious-code", "malware-distribution")] = Severity.High,
        [("malicious-code", "malware-configuration")] = Severity.Medium,
        [("information-gathering", "scanner")] = Severity.Low,
        [("information-gathering", "sniffing")] = Severity.Medium,
        [("information-gathering", "social-engineering")] = Severity.Medium,
        [("intrusion-attempts", "ids-alert")] = Severity.Low,
        [("intrusion-attempts", "brute-force")] = Severity.Medium,
        [("intrusion-attempts", "exploit")] = Severity.Medium,
        [("intrusions", "privileged-account-compromise")] = Severity.Critical,
        [("intrusions", "unprivileged-account-compromise")] = Severity.High,
        [("intrusions", "application-compromise")] = Severity.High,
        [("intrusions", "system-compromise")] = Severity.Critical,
        [("intrusions", "burglary")] = Severity.High,
        [("availability", "dos")] = Severity.Medium,
        [("availability", "ddos")] = Severity.High,
        [("availability", "misconfiguration")] = Severity.Low,
        [("availability", "sabotage")] = Severity.High,
        [("availability", "outage")] = Severity.Medium,
        [("information-content-security", "unauthorised-information-access")] = Severity.High,
        [("information-content-security", "unauthorised-information-modification")] = Severity.High,
        [("information-content-security", "data-loss")] = Severity.High,
        [("information-content-security", "data-leak")] = Severity.High,
        [("fraud", "unauthorised-use-of-resources")] = Severity.Medium,
        [("fraud", "copyright")] = Severity.Low,
        [("fraud", "masquerade")] = Severity.Medium,
        [("fraud", "phishing")] = Severity.Medium,
        [("vulnerable", "weak-crypto")] = Severity.Low,
        [("vulnerable", "ddos-amplifier")] = Severity.Medium,
        [("vulnerable", "potentially-unwanted-accessible")] = Severity.Medium,
        [("vulnerable", "information-disclosure")] = Severity.Medium,
        [("vulnerable", "vulnerable-system")] = Severity.Medium,
        [("other", "other")] = Severity.Low,
        [("other", "undetermined")] = Severity.Low,
        [("test", "test")] = Severity.Low,
    };

    /// <summary>Whether the table names a severity for the pair (a test holds it to the whole taxonomy).</summary>
    public static bool Covers(string rsitClass, string rsitType) => Table.ContainsKey((rsitClass, rsitType));

    /// <summary>The table's severity for events of <paramref name="rsitClass"/>/<paramref name="rsitType"/>.</summary>
    public static Severity Of(string rsitClass, string rsitType) => Table.GetValueOrDefault((rsitClass, rsitType), Fallback);

    /// <summary>
    /// One event's severity: the one it (or its feed) <paramref name="named"/>, or the table's when
    /// it named none (<see cref="Severity.Unspecified"/>).
    /// </summary>
    public static Severity Of(string rsitClass, string rsitType, Severity named) =>
        named != Severity.Unspecified ? named : Of(rsitClass, rsitType);

    /// <summary>The more severe of two: an incident's severity only rises as events come in.</summary>
    public static Severity MostSevere(Severity a, Severity b) => (Severity)Math.Max((int)a, (int)b);
}
