using Cirt.Server.Federation;
using Cirt.Server.Incidents;

namespace Cirt.Server.Extensions;

public static class IncidentSharingExtensions
{
    /// <summary>
    /// Incidents shared with partner CIRTs: the receiver FederationService/Deliver hands incoming
    /// incidents, notes and status changes to. What an incident still owes partners after a crash is
    /// handed over by the incident itself (a durable reminder, IncidentGrain.SharingReminder).
    /// </summary>
    public static WebApplicationBuilder AddCirtIncidentSharing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFederatedItemReceiver, IncidentReceiver>();
        return builder;
    }
}
