namespace Cirt.Server.Storage;

/// <summary>The cluster profile's two services, from ConnectionStrings:AzureStorage and ConnectionStrings:Postgres.</summary>
public sealed record ClusterConnections(string AzureStorage, string Postgres)
{
    /// <summary>Both connection strings from <paramref name="configuration"/>; refuses to start, naming each missing one.</summary>
    public static ClusterConnections From(IConfiguration configuration)
    {
        var azure = configuration.GetConnectionString("AzureStorage");
        var postgres = configuration.GetConnectionString("Postgres");
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(azure))
        {
            problems.Add("Cirt:Storage=Cluster needs ConnectionStrings:AzureStorage (environment ConnectionStrings__AzureStorage), the Azure Storage account (or Azurite) holding membership, grain state and reminders; deploy/local-services.sh env prints one for this machine.");
        }

        if (string.IsNullOrWhiteSpace(postgres))
        {
            problems.Add("Cirt:Storage=Cluster needs ConnectionStrings:Postgres (environment ConnectionStrings__Postgres), the PostgreSQL database holding the read model and the ingest log; deploy/local-services.sh env prints one for this machine.");
        }

        return problems.Count > 0 ? throw new StartupRefusedException(problems) : new ClusterConnections(azure!, postgres!);
    }
}
