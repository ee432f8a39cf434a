using Cirt.Server.Advisories;
using Cirt.Server.Federation;

namespace Cirt.Server.Extensions;

public static class AdvisoryExtensions
{
    /// <summary>
    /// Advisories shared with partner CIRTs: the receiver FederationService/Deliver hands incoming
    /// advisories to, and the sweep that queues at start what partners are still owed.
    /// </summary>
    public static WebApplicationBuilder AddCirtAdvisorySharing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFederatedItemReceiver, AdvisoryReceiver>();
        builder.Services.AddHostedService<AdvisoryShareSweep>();
        return builder;
    }
}
