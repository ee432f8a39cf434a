using Cirt.Server.Inbox;
using Cirt.Server.Incidents;

namespace Cirt.Server.Extensions;

public static class InboxExtensions
{
    /// <summary>The inbox streams and the queue watchers (WatchIncidents), each with the one loop that feeds them all.</summary>
    public static WebApplicationBuilder AddCirtInbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboxSubscribers>();
        builder.Services.AddSingleton<InboxReader>();
        builder.Services.AddHostedService<InboxFeed>();
        builder.Services.AddSingleton<IncidentWatchers>();
        builder.Services.AddHostedService<IncidentWatchFeed>();
        return builder;
    }
}
