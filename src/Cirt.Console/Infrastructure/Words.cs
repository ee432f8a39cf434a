using Cirt.Contracts.V1;

namespace Cirt.Console.Infrastructure;

/// <summary>The words people type and read for the wire enums: "responding", "amber+strict", "high".</summary>
public static class Words
{
    public static IncidentStatus Status(string word) => Parse<IncidentStatus>(word, "status");

    public static Severity Severity(string word) => Parse<Severity>(word, "severity");

    public static ObservableType ObservableType(string word) => Parse<ObservableType>(word, "observable type");

    public static StakeholderType StakeholderType(string word) => Parse<StakeholderType>(word, "stakeholder type");

    public static Nis2EntityClass Nis2(string word) => Parse<Nis2EntityClass>(word, "NIS2 entity class");

    public static Role Role(string word) => Parse<Role>(word, "role");

    public static IncidentTaskStatus TaskStatus(string word) => Parse<IncidentTaskStatus>(word, "task status");

    /// <summary>What kind of item a partner receives: advisory or incident ("advisories" and "incidents" too).</summary>
    public static SharedItemKind ItemKind(string word) => Parse<SharedItemKind>(Singular(word), "kind of item");

    /// <summary>What may leave of personal data: none or pseudonymised (pseudonymized too).</summary>
    public static PersonalDataPolicy PersonalData(string word) =>
        Parse<PersonalDataPolicy>(word.Replace("ized", "ised", StringComparison.OrdinalIgnoreCase), "personal-data policy");

    public static OutboxState OutboxState(string word) => Parse<OutboxState>(word, "message state");

    /// <summary>
    /// A moment given as people type it: a span from <paramref name="now"/> ("30m", "4h", "2d") or
    /// an ISO 8601 time ("2026-11-26T08:00Z").
    /// </summary>
    public static DateTimeOffset When(string text, DateTimeOffset now) => Span(text) is { } span ? now + span : Time(text);

    /// <summary>A span as people type it ("30m", "4h", "2d"), or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? Span(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && double.TryParse(trimmed[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (char.ToLowerInvariant(trimmed[^1]))
            {
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }

        return null;
    }

    /// <summary>An ISO 8601 time ("2026-11-26T08:00Z"); refused with the accepted forms otherwise.</summary>
    public static DateTimeOffset Time(string text)
    {
        if (DateTimeOffset.TryParse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        throw new UsageException($"'{text}' is neither a span (30m, 4h, 2d) nor a time (2026-11-26T08:00Z).");
    }

    /// <summary>
    /// A NIS2 reporting stage: early-warning, notification, intermediate-report, progress-report or
    /// final-report (with or without "nis2-", "-report" optional).
    /// </summary>
    public static DeadlineKind Stage(string word) => Normalise(word).Replace("nis2", "", StringComparison.Ordinal) switch
    {
        "earlywarning" or "warning" => DeadlineKind.Nis2EarlyWarning,
        "notification" or "incidentnotification" => DeadlineKind.Nis2Notification,
        "intermediatereport" or "intermediate" => DeadlineKind.Nis2IntermediateReport,
        "progressreport" or "progress" => DeadlineKind.Nis2ProgressReport,
        "finalreport" or "final" => DeadlineKind.Nis2FinalReport,
        _ => throw new UsageException($"'{word}' is not a NIS2 stage; use one of: {Stages}."),
    };

    /// <summary>The NIS2 stages as people type them.</summary>
    public const string Stages = "early-warning, notification, intermediate-report, progress-report, final-report";

    public static Tlp Tlp(string word) => Parse<Tlp>(word.Replace("TLP:", "", StringComparison.OrdinalIgnoreCase), "TLP label");

    public static string Of(IncidentStatus status) => Word(status);

    public static string Of(Severity severity) => severity == Contracts.V1.Severity.Unspecified ? "-" : Word(severity);

    public static string Of(Tlp tlp) => tlp switch
    {
        Contracts.V1.Tlp.Clear => "TLP:CLEAR",
        Contracts.V1.Tlp.Green => "TLP:GREEN",
        Contracts.V1.Tlp.Amber => "TLP:AMBER",
        Contracts.V1.Tlp.AmberStrict => "TLP:AMBER+STRICT",
        Contracts.V1.Tlp.Red => "TLP:RED",
        _ => "-",
    };

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Word(value);

    /// <summary>A kind of personal data as people read it: "e-mail address", "phone number", "IP address".</summary>
    public static string Of(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.EmailAddress => "e-mail address",
        PersonalDataKind.PhoneNumber => "phone number",
        PersonalDataKind.IpAddress => "IP address",
        _ => "personal data",
    };

    /// <summary>"1 e-mail address", "2 phone numbers", "3 IP addresses".</summary>
    public static string Count(PersonalDataKind kind, int count)
    {
        var word = Of(kind);
        var plural = count == 1 ? word : word.EndsWith("ss", StringComparison.Ordinal) ? word + "es" : word == "personal data" ? word : word + "s";
        return $"{count} {plural}";
    }

    /// <summary>A circuit breaker's state with what it means for deliveries.</summary>
    public static string Of(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed (delivering)",
        CircuitState.Open => "open (deliveries paused after failures)",
        CircuitState.HalfOpen => "half-open (one trial delivery decides)",
        _ => "-",
    };

    /// <summary>The accepted words for <typeparamref name="TEnum"/>, for help and error messages.</summary>
    public static IEnumerable<string> Choices<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0).Select(Word);

    private static TEnum Parse<TEnum>(string word, string what) where TEnum : struct, Enum
    {
        var wanted = Normalise(word);
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0 && Normalise(value.ToString()) == wanted)
            {
                return value;
            }
        }

        throw new UsageException($"'{word}' is not a {what}; use one of: {string.Join(", ", Choices<TEnum>())}.");
    }

    private static string Singular(string word) => word.Trim() switch
    {
        var w when w.EndsWith("ies", StringComparison.OrdinalIgnoreCase) => w[..^3] + "y",
        var w when w.EndsWith("ts", StringComparison.OrdinalIgnoreCase) => w[..^1],
        var w => w,
    };

    private static string Normalise(string text) =>
        new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>PascalCase enum name to kebab-case: AmberStrict → amber-strict.</summary>
    private static string Word<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
