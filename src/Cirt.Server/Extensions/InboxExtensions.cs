using Cirt.Server.Inbox;

namespace Cirt.Server.Extensions;

public static class InboxExtensions
{
    /// <summary>The inbox streams and the one loop that feeds them all.</summary>
    public static WebApplicationBuilder AddCirtInbox(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboxSubscribers>();
        builder.Services.AddSingleton<InboxReader>();
        builder.Services.AddHostedService<InboxFeed>();
        return builder;
    }
}
