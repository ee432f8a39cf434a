namespace Cirt.Server.Storage;

/// <summary>
/// While storage refuses writes because the disk is full, drops the error lines that others write
/// for each refused write or failed check (Orleans' grain storage, twice per grain write, with a
/// stack trace; the health-check service, at every probe): <see cref="StorageHealth"/> tells the
/// story instead, once, then a line a minute with the count. Everything else is logged as usual,
/// and so are these categories while storage takes writes, at the levels configured for them.
/// </summary>
public sealed class StorageLogQuieting
{
    private static readonly string[] Categories =
    [
        "Orleans.Storage.AdoNetGrainStorage",
        typeof(SqliteWriteGatedGrainStorage).FullName!,
        "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService",
    ];

    /// <summary>The health whose state decides; set once it is built.</summary>
    public StorageHealth? Health { get; set; }

    /// <summary>
    /// Adds a filter for each quieted category. A filter rule of a category replaces the configured
    /// level for it, so the rule keeps that level (Logging:LogLevel, the longest matching key, else
    /// Default) and only adds the quieting.
    /// </summary>
    public void AddTo(ILoggingBuilder logging, IConfiguration configuration)
    {
        var levels = configuration.GetSection("Logging:LogLevel");
        foreach (var category in Categories)
        {
            var configured = ConfiguredLevel(levels, category);
            logging.AddFilter(category, level => level >= configured && Lets(level));
        }
    }

    /// <summary>False for an error line while storage refuses writes.</summary>
    public bool Lets(LogLevel level) => level < LogLevel.Error || Health is not { RefusingWrites: true };

    private static LogLevel ConfiguredLevel(IConfigurationSection levels, string category)
    {
        var best = levels.GetChildren()
            .Where(c => c.Key != "Default" && (category == c.Key || category.StartsWith(c.Key + ".", StringComparison.Ordinal)))
            .MaxBy(c => c.Key.Length);
        return Enum.TryParse<LogLevel>(best?.Value ?? levels["Default"], ignoreCase: true, out var level) ? level : LogLevel.Information;
    }
}
