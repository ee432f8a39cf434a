using Cirt.Grains.Advisories;
using Cirt.Grains.Incidents;
using Cirt.Grains.Stakeholders;
using Cirt.Server.Extensions;
using Cirt.Server.Federation;
using Cirt.Server.Http;
using Cirt.Server.Ingest;
using Cirt.Server.Security;
using Cirt.Server.Storage;

namespace Cirt.Server;

/// <summary>
/// Every setting checked in one place before anything is built or created: each section's own
/// rules (its <c>Problems()</c>), values that do not even convert, plain HTTP off loopback, then
/// ports another program holds (<see cref="PortChecks"/>). Only when all pass is the data folder
/// made (mode 0700, <see cref="DataFolder"/>).
/// </summary>
public static class StartupChecks
{
    /// <summary>Throws <see cref="StartupRefusedException"/> with every problem found, or creates the data folder of the embedded profile.</summary>
    public static void Ensure(IConfiguration configuration)
    {
        var problems = Problems(configuration);
        if (problems.Count == 0)
        {
            // Only worth trying once the settings themselves are sound.
            problems = PortChecks.Problems(configuration);
        }

        if (problems.Count > 0)
        {
            throw new StartupRefusedException(problems);
        }

        var cirt = configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions();
        if (cirt.Storage != StorageProfile.Embedded)
        {
            return;
        }

        var folder = Path.GetFullPath(cirt.DataDirectory);
        try
        {
            DataFolder.Ensure(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException([$"{CirtOptions.Section}:{nameof(CirtOptions.DataDirectory)}: cannot create or use the folder {folder} ({e.Message})"]);
        }
    }

    /// <summary>What is wrong with <paramref name="configuration"/>, one sentence each naming the setting; empty when nothing is.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        var cirt = Bind<CirtOptions>(configuration, CirtOptions.Section, problems);
        if (cirt is not null)
        {
            problems.AddRange(cirt.Problems());
            if (!Enum.IsDefined(cirt.Storage))
            {
                problems.Add($"{CirtOptions.Section}:{nameof(CirtOptions.Storage)} must be {string.Join(" or ", Enum.GetNames<StorageProfile>())} (it is {cirt.Storage}).");
            }
        }

        var security = Bind<SecurityOptions>(configuration, SecurityOptions.Section, problems);
        if (security is not null)
        {
            problems.AddRange(security.Problems());
            problems.AddRange(SecurityExtensions.InsecureEndpointProblems(configuration, security));
        }

        Check<HttpEndpointOptions>(configuration, HttpEndpointOptions.Section, problems, o => o.Problems());
        Check<IngestOptions>(configuration, IngestOptions.Section, problems, o => o.Problems());
        Check<RetentionOptions>(configuration, RetentionOptions.Section, problems, o => o.Problems());
        Check<FederationOptions>(configuration, FederationOptions.Section, problems, o => o.Problems());
        Check<DeliveryOptions>(configuration, DeliveryOptions.Section, problems, o => o.Problems());
        Check<DeadlineOptions>(configuration, DeadlineOptions.Section, problems, o => o.Problems());
        Check<ContactOptions>(configuration, ContactOptions.Section, problems, o => o.Problems());
        Check<AdvisoryOptions>(configuration, AdvisoryOptions.Section, problems, o => o.Problems());
        Check<FreeSpaceOptions>(configuration, FreeSpaceOptions.Section, problems, o => o.Problems());
        Check<GrainLifetimeOptions>(configuration, GrainLifetimeOptions.Section, problems, o => o.Problems());
        Check<Cirt.Server.Idempotency.IdempotencyOptions>(configuration, Cirt.Server.Idempotency.IdempotencyOptions.Section, problems, o => o.Problems());
        Check<Cirt.Server.Incidents.ProjectionSweepOptions>(configuration, Cirt.Server.Incidents.ProjectionSweepOptions.Section, problems, o => o.Problems());
        return problems;
    }

    private static void Check<T>(IConfiguration configuration, string section, List<string> problems, Func<T, IEnumerable<string>> rules)
        where T : class, new()
    {
        if (Bind<T>(configuration, section, problems) is { } options)
        {
            problems.AddRange(rules(options));
        }
    }

    /// <summary>The section bound, or null with the binder's complaint (it names the key) when a value does not convert.</summary>
    private static T? Bind<T>(IConfiguration configuration, string section, List<string> problems)
        where T : class, new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.InnerException is { } cause ? $"{e.Message} ({cause.Message})" : e.Message);
            return null;
        }
    }
}
