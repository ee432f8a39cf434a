using System.Diagnostics;

namespace Cirt.Grains.Common;

/// <summary>
/// The grains' own spans (activity source "Cirt.Grains"), beside the spans Orleans makes of grain
/// calls: work a grain does of its own accord, such as escalating an overdue deadline when its
/// reminder fires. Nothing is recorded unless a tracer listens to the source.
/// </summary>
public static class GrainActivities
{
    public const string SourceName = "Cirt.Grains";

    public static readonly ActivitySource Source = new(SourceName);
}
