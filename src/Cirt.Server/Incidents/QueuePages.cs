using System.Globalization;
using Cirt.Grains.Incidents;
using Cirt.Grains.Security;
using Cirt.Server.Api;

namespace Cirt.Server.Incidents;

/// <summary>
/// What the page tokens of ListIncidents, ListTasks and ListDeadlines carry and are bound to: the
/// last row's position (<see cref="IncidentPosition"/>, <see cref="TaskPosition"/>,
/// <see cref="DeadlinePosition"/>) as text, and a digest of the query (every filter, the order,
/// the caller's key and the organisation it sees for) that <see cref="SignedPageTokens"/> signs with it.
/// </summary>
public static class QueuePages
{
    private const char Separator = '|';

    public static string Digest(IncidentQuery query, Principal caller) => Join(
        "incidents", caller.KeyId, query.VisibleToStakeholder ?? "*", ((int)query.Order).ToString(CultureInfo.InvariantCulture),
        string.Join(',', query.Statuses.Select(s => (int)s).Order()), string.Join(',', query.Severities.Select(s => (int)s).Order()),
        query.SectorCode ?? "", query.StakeholderId ?? "", query.ExcludeExercises ? "1" : "0");

    public static string Digest(TaskQuery query, Principal caller) => Join(
        "tasks", caller.KeyId, query.OpenOnly ? "1" : "0", query.OverdueOnly ? "1" : "0",
        query.AssignedToStakeholder ?? "*", query.AssignedToAnalyst ?? "*", query.SectorCode ?? "*");

    public static string Digest(DeadlineQuery query, Principal caller) => Join(
        "deadlines", caller.KeyId, ((int)query.View).ToString(CultureInfo.InvariantCulture), query.ReportedBy ?? "*", query.SectorCode ?? "*");

    public static string Position(IncidentPosition p) => Join(Number((int)p.Severity), Number((int)p.ReportedSeverity), Number(p.ReportedAtMs), p.TrackingId);

    public static string Position(TaskPosition p) => Join(Number(p.DueKey), Number(p.Number), p.TrackingId);

    public static string Position(DeadlinePosition p) => Join(Number(p.DueAtMs), Number((int)p.Kind), p.TrackingId);

    /// <summary>The incident position a verified token carried (null for none); INVALID_ARGUMENT on page_token should it not read as one.</summary>
    public static IncidentPosition? IncidentAfter(string? position)
    {
        if (position is null)
        {
            return null;
        }

        var f = position.Split(Separator, 4);
        if (f.Length == 4 && TryInt(f[0], out var severity) && TryInt(f[1], out var claimed) && TryLong(f[2], out var at) && f[3].Length > 0)
        {
            return new IncidentPosition((Severity)severity, (Severity)claimed, at, f[3]);
        }

        return Refuse<IncidentPosition>();
    }

    /// <inheritdoc cref="IncidentAfter"/>
    public static TaskPosition? TaskAfter(string? position)
    {
        if (position is null)
        {
            return null;
        }

        var f = position.Split(Separator, 3);
        if (f.Length == 3 && TryLong(f[0], out var due) && TryInt(f[1], out var number) && f[2].Length > 0)
        {
            return new TaskPosition(due, f[2], number);
        }

        return Refuse<TaskPosition>();
    }

    /// <inheritdoc cref="IncidentAfter"/>
    public static DeadlinePosition? DeadlineAfter(string? position)
    {
        if (position is null)
        {
            return null;
        }

        var f = position.Split(Separator, 3);
        if (f.Length == 3 && TryLong(f[0], out var due) && TryInt(f[1], out var kind) && f[2].Length > 0)
        {
            return new DeadlinePosition(due, f[2], (DeadlineKind)kind);
        }

        return Refuse<DeadlinePosition>();
    }

    private static T? Refuse<T>()
        where T : class
    {
        Violations.ThrowOne("page_token", "is not a token returned by a previous call");
        return null;
    }

    private static string Join(params string[] parts) => string.Join(Separator, parts);

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static bool TryInt(string text, out int n) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n);

    private static bool TryLong(string text, out long n) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n);
}
