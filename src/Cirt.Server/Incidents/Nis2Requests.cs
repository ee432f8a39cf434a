using Cirt.Grains.Common;
using Cirt.Grains.Incidents;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Incidents;

/// <summary>
/// The shape of the NIS2 requests the CIRT makes of reporters, every violation at once. Whether the
/// incident takes one is the NIS2 rule's to say (IncidentNis2, Nis2Clock).
/// </summary>
public static class Nis2Requests
{
    /// <summary>The due time and the (trimmed) reason of a request for an intermediate report (NIS2 Art. 23(4)(c)).</summary>
    public static (DateTimeOffset DueAt, string Reason) ToDomain(Proto.RequestIntermediateReportRequest request, DateTimeOffset now)
    {
        var v = new Violations();
        FieldRules.TrackingId(v, "tracking_id", request.TrackingId);
        var dueAt = IntermediateReportDue(v, request, now);
        v.Required("reason", request.Reason, Limits.ReasonLength);
        v.ThrowIfAny();
        return (dueAt!.Value, request.Reason.Trim());
    }

    /// <summary>
    /// When a requested intermediate report is due: <c>due_at</c>, or <c>due_within</c> counted from
    /// <paramref name="now"/>; exactly one, strictly in the future and within
    /// <see cref="Nis2Clock.IntermediateReportHorizon"/>. Null (with a violation) otherwise.
    /// </summary>
    public static DateTimeOffset? IntermediateReportDue(Violations v, Proto.RequestIntermediateReportRequest request, DateTimeOffset now)
    {
        var horizon = Nis2Clock.IntermediateReportHorizon;
        switch (request.DueCase)
        {
            case Proto.RequestIntermediateReportRequest.DueOneofCase.DueAt:
                return FieldRules.Time(v, "due_at", request.DueAt) is { } at && Within(v, "due_at", at - now, horizon) ? at : null;
            case Proto.RequestIntermediateReportRequest.DueOneofCase.DueWithin:
                TimeSpan within;
                try
                {
                    within = request.DueWithin.ToTimeSpan();
                }
                catch (InvalidOperationException)
                {
                    v.Add("due_within", "is not a valid duration");
                    return null;
                }

                return Within(v, "due_within", within, horizon) ? now + within : null;
            default:
                v.Add("due", "is required: set due_at (a time) or due_within (a span from now)");
                return null;
        }
    }

    private static bool Within(Violations v, string field, TimeSpan ahead, TimeSpan horizon)
    {
        if (ahead <= TimeSpan.Zero)
        {
            v.Add(field, "must lie in the future");
            return false;
        }

        if (ahead > horizon)
        {
            v.Add(field, $"lies {ahead.TotalDays:0.#} days ahead; an intermediate report is due within {horizon.TotalDays:0} days");
            return false;
        }

        return true;
    }
}
