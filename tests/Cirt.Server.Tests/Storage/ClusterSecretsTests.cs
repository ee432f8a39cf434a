using System.Security.Cryptography;
using System.Text;
using Cirt.Server.Api;
using Cirt.Server.Federation;
using Cirt.Server.Storage;

namespace Cirt.Server.Tests.Storage;

/// <summary>
/// Every silo of a cluster signs page tokens and federation messages with the same secrets, kept in
/// PostgreSQL: silos starting at the same moment on an empty database agree on them, a token one silo
/// hands out is resumed on another, and partners see one signing key and one set of pseudonyms.
/// </summary>
public sealed class ClusterSecretsTests : IAsyncLifetime
{
    private static readonly CirtOptions Cluster = new() { Storage = StorageProfile.Cluster };
    private static readonly FederationOptions Federation = new() { InstanceId = "cirt-nl", Country = "NL" };

    private PostgresTestSilos? _silos;

    public async Task InitializeAsync() => _silos = await PostgresTestSilos.CreateAsync("cirtsecrets");

    public async Task DisposeAsync() => await _silos!.DisposeAsync();

    [Fact]
    public async Task SilosStartingTogetherOnAnEmptyDatabaseAllKeepTheSameSecret()
    {
        var silos = Enumerable.Range(0, 6).Select(_ => new ClusterSecrets(_silos!.Open())).ToArray();

        var secrets = await Task.WhenAll(silos.Select(silo => Task.Run(() =>
            silo.ReadOrCreate("test-secret", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))))));

        Assert.Single(secrets.Distinct());
        Assert.Equal(secrets[0], new ClusterSecrets(_silos!.Open()).ReadOrCreate("test-secret", () => "never used"));
    }

    [Fact]
    public void APageTokenHandedOutByOneSiloIsResumedOnAnother()
    {
        var first = TokenSecret.Load(Cluster, new ClusterSecrets(_silos!.Open()));
        var second = TokenSecret.Load(Cluster, new ClusterSecrets(_silos!.Open()));

        var token = new SignedPageTokens(first.Key).Issue("incidents status=open", "i-0042");

        Assert.Equal("i-0042", new SignedPageTokens(second.Key).Read(token, "incidents status=open"));
        Assert.Equal(32, second.Key.Length);
    }

    [Fact]
    public void EverySiloSignsAndPseudonymisesAsTheSameCirt()
    {
        using var first = FederationIdentity.LoadForCluster(Federation, new ClusterSecrets(_silos!.Open()));
        using var second = FederationIdentity.LoadForCluster(Federation, new ClusterSecrets(_silos!.Open()));
        var message = Encoding.UTF8.GetBytes("""{"advisory":"a-1"}""");

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.True(FederationIdentity.Verify(first.PublicKeyPem, message, second.Sign(message)));
        Assert.Equal(first.PseudonymKeyFor("cert-be"), second.PseudonymKeyFor("cert-be"));
        Assert.NotEqual(first.PseudonymKeyFor("cert-be"), first.PseudonymKeyFor("cert-fr"));
    }

    [Fact]
    public void AConfiguredSigningKeyFileIsUsedOnEverySiloAndAMissingOneRefusesTheStart()
    {
        var folder = Directory.CreateTempSubdirectory("cirt-cluster-key-");
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyFile = Path.Combine(folder.FullName, "federation-signing-key.pem");
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            var configured = new FederationOptions { InstanceId = "cirt-nl", Country = "NL", SigningKeyFile = keyFile };

            using var first = FederationIdentity.LoadForCluster(configured, new ClusterSecrets(_silos!.Open()));
            using var second = FederationIdentity.LoadForCluster(configured, new ClusterSecrets(_silos!.Open()));
            var missing = Assert.Throws<StartupRefusedException>(() => FederationIdentity.LoadForCluster(
                new FederationOptions { InstanceId = "cirt-nl", Country = "NL", SigningKeyFile = Path.Combine(folder.FullName, "absent.pem") },
                new ClusterSecrets(_silos!.Open())));

            Assert.Equal(key.ExportSubjectPublicKeyInfoPem(), first.PublicKeyPem);
            Assert.Equal(first.PseudonymKeyFor("cert-be"), second.PseudonymKeyFor("cert-be"));
            Assert.Contains("absent.pem", string.Join(" ", missing.Problems));
            Assert.Contains("every silo", string.Join(" ", missing.Problems));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
