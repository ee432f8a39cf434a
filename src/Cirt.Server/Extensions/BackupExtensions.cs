using Cirt.Server.Backup;

namespace Cirt.Server.Extensions;

public static class BackupExtensions
{
    /// <summary>Online backups of the data folder (<see cref="OnlineBackup"/>), taken through AdminService.</summary>
    public static WebApplicationBuilder AddCirtBackup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OnlineBackup>();
        return builder;
    }

    public static WebApplication MapCirtBackup(this WebApplication app)
    {
        app.MapGrpcService<AdminGrpcService>();
        return app;
    }
}
