using Orleans.Configuration;

namespace Cirt.Server.Storage;

/// <summary>
/// How fast the cluster profile's silos declare a silent silo dead (docs/cluster.md, "Membership and
/// failure detection"). Each silo probes <see cref="ProbedSilos"/> others every <see cref="ProbeTimeout"/>;
/// after <see cref="MissedProbes"/> missed probes in a row it votes the silo dead, and
/// <see cref="VotesForDeath"/> votes (or every other live silo, when fewer are left) declare it dead
/// in the membership table. A silo killed outright is so declared within seconds; a silo slowed by a
/// starved CPU keeps its place, as Orleans stretches the probe timeout of a silo that finds itself
/// degraded and asks a third silo to confirm before voting (indirect probes).
/// </summary>
public static class MembershipTimings
{
    /// <summary>Probe period and initial probe timeout: Orleans' default is 5 s.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row before a vote; Orleans' default.</summary>
    public const int MissedProbes = 3;

    /// <summary>Votes that declare a silo dead; Orleans' default, capped by the live silos left.</summary>
    public const int VotesForDeath = 2;

    /// <summary>Silos each silo probes; Orleans' default.</summary>
    public const int ProbedSilos = 3;

    /// <summary>How often a silo writes its heartbeat into the membership table (Orleans: 30 s).</summary>
    public static readonly TimeSpan IAmAlivePeriod = TimeSpan.FromSeconds(10);

    /// <summary>How often a silo reads the membership table besides the gossip it receives (Orleans: 60 s).</summary>
    public static readonly TimeSpan TableRefresh = TimeSpan.FromSeconds(10);

    /// <summary>Votes older than this no longer count (Orleans: 120 s).</summary>
    public static readonly TimeSpan VoteExpiration = TimeSpan.FromSeconds(60);

    /// <summary>Rows of dead silos are removed after this long (Orleans: 7 days): long enough to read what happened.</summary>
    public static readonly TimeSpan DefunctSiloExpiration = TimeSpan.FromDays(1);

    /// <summary>Sets <paramref name="membership"/> to these timings.</summary>
    public static void Apply(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.NumMissedProbesLimit = MissedProbes;
        membership.NumVotesForDeathDeclaration = VotesForDeath;
        membership.NumProbedSilos = ProbedSilos;
        membership.IAmAliveTablePublishTimeout = IAmAlivePeriod;
        membership.TableRefreshTimeout = TableRefresh;
        membership.DeathVoteExpirationTimeout = VoteExpiration;
        membership.DefunctSiloExpiration = DefunctSiloExpiration;
        membership.ExtendProbeTimeoutDuringDegradation = true;
        membership.EnableIndirectProbes = true;
    }
}
