using System.Text;
using Cirt.Contracts.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace Cirt.Server.Tests.Security;

[Collection(ServerCollection.Name)]
public sealed class SecurityTests(ServerFixture server)
{
    private async Task<string> ReportAsync(string reporter, Tlp tlp, params string[] affected)
    {
        var request = Reports.Valid(reporter);
        request.Tlp = tlp;
        request.AffectedStakeholderIds.AddRange(affected);
        return (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(request)).TrackingId;
    }

    [Fact]
    public async Task AnOperatorSeesItsOwnReportsAndThoseAffectingItOnlyAsFarAsTheTlpAllows()
    {
        var organisation = await TestStakeholders.CreateAsync(server, "ENERGY");
        var operatorKey = await server.IssueKeyAsync("soc", Role.Operator, organisation);
        var ownRed = await ReportAsync(organisation, Tlp.Red);
        var affectingAmber = await ReportAsync("firstbank", Tlp.Amber, organisation);
        var affectingStrict = await ReportAsync("firstbank", Tlp.AmberStrict, organisation);
        var unrelated = await ReportAsync("firstbank", Tlp.Clear);

        var listed = await server.Incidents(operatorKey).ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 });

        Assert.Equal(new[] { affectingAmber, ownRed }.Order(), listed.Incidents.Select(i => i.TrackingId).Order());
        Assert.Equal(2, listed.TotalSize);
        foreach (var hidden in new[] { affectingStrict, unrelated })
        {
            var ex = await RpcAssert.FailsWith(StatusCode.NotFound,
                () => server.Incidents(operatorKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = hidden }).ResponseAsync);
            Assert.Equal($"Incident '{hidden}' was not found.", ex.Status.Detail);
        }
    }

    [Fact]
    public async Task AnOperatorReportsOnlyAsItsOwnOrganisation()
    {
        var ex = await RpcAssert.FailsWith(StatusCode.PermissionDenied,
            () => server.Reporting(server.GridcoKey).SubmitIncidentAsync(Reports.Valid("firstbank")).ResponseAsync);

        Assert.Contains("gridco", ex.Status.Detail);
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedFromTheNextCallOn()
    {
        var issued = await server.Keys().IssueKeyAsync(new IssueKeyRequest { Name = "temp-analyst", Role = Role.Analyst });
        var incidents = server.Incidents(issued.ApiKey);
        await incidents.ListIncidentsAsync(new ListIncidentsRequest());

        await server.Keys().RevokeKeyAsync(new RevokeKeyRequest { KeyId = issued.Key.KeyId });

        var ex = await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => incidents.ListIncidentsAsync(new ListIncidentsRequest()).ResponseAsync);
        Assert.Contains("revoked", ex.Status.Detail);
        var listed = (await server.Keys().ListKeysAsync(new ListKeysRequest())).Keys.Single(k => k.KeyId == issued.Key.KeyId);
        Assert.NotNull(listed.RevokedAt);
        Assert.Equal("bootstrap", listed.RevokedBy);
    }

    [Fact]
    public async Task KeysAreStoredAndListedOnlyAsHashes()
    {
        var issued = await server.Keys().IssueKeyAsync(new IssueKeyRequest { Name = "hash-check", Role = Role.Analyst });
        var secret = issued.ApiKey["cirt_0123456789abcdef_".Length..];

        var listing = (await server.Keys().ListKeysAsync(new ListKeysRequest())).ToString();
        Assert.DoesNotContain(secret, listing);
        SqliteConnection.ClearAllPools();
        var database = Encoding.Latin1.GetString(await ReadSharedAsync(Path.Combine(server.DataDirectory, "cirt.db")))
                       + Encoding.Latin1.GetString(await ReadSharedAsync(Path.Combine(server.DataDirectory, "cirt.db-wal")));
        Assert.Contains(issued.Key.KeyId, database);
        Assert.DoesNotContain(secret, database);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TheBootstrapKeyFileIsReadableByTheServiceUserOnly()
    {
        var mode = File.GetUnixFileMode(Path.Combine(server.DataDirectory, "bootstrap-coordinator.key"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz", "must be 'Bearer <api key>'")]
    [InlineData("Bearer not-a-key", "not a Cirt API key")]
    [InlineData("Bearer cirt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not valid")]
    public async Task BadCredentialsAreRefusedWithAReason(string header, string reason)
    {
        var client = new IncidentService.IncidentServiceClient(server.Channel);

        var ex = await RpcAssert.FailsWith(StatusCode.Unauthenticated,
            () => client.ListIncidentsAsync(new ListIncidentsRequest(), new Metadata { { "authorization", header } }).ResponseAsync);

        Assert.Contains(reason, ex.Status.Detail);
    }

    [Fact]
    public async Task OperatorKeysMustBelongToAnExistingStakeholder()
    {
        await RpcAssert.FailsWith(StatusCode.NotFound, () => server.Keys().IssueKeyAsync(
            new IssueKeyRequest { Name = "ghost", Role = Role.Operator, StakeholderId = "no-such-org" }).ResponseAsync);
        Assert.Equal(["stakeholder_id"], await RpcAssert.InvalidFields(() => server.Keys().IssueKeyAsync(
            new IssueKeyRequest { Name = "ghost", Role = Role.Operator }).ResponseAsync));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
