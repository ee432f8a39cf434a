using Cirt.Contracts.V1;
using Cirt.Server.Tests.Federation;
using Grpc.Core;

namespace Cirt.Server.Tests.Idempotency;

/// <summary>
/// Every mutating call can be retried safely: sent again under the same request_id by the same key,
/// it gets the first answer and changes nothing twice; the same id with a different request is
/// refused; another key's ids are its own.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetryTests(ServerFixture server)
{
    private static string NewId() => Guid.NewGuid().ToString();

    private async Task<string> ReportAsync() =>
        (await server.Reporting().SubmitIncidentAsync(Reports.Valid())).TrackingId;

    private async Task<Incident> TriagedAsync()
    {
        var id = await ReportAsync();
        return (await server.Incidents().TriageIncidentAsync(new TriageIncidentRequest
        {
            TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High,
        })).Incident;
    }

    private async Task<Incident> ReadAsync(string trackingId) =>
        (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 500 })).Incident;

    /// <summary>Sends the request made by <paramref name="call"/> twice under one fresh request id; both answers.</summary>
    private static async Task<(T First, T Retry)> TwiceAsync<T>(Func<string, Task<T>> call)
    {
        var requestId = NewId();
        return (await call(requestId), await call(requestId));
    }

    [Fact]
    public async Task ANoteSentTwiceUnderOneRequestIdIsAddedOnceAndAnsweredTheSame()
    {
        var trackingId = await ReportAsync();

        var (first, retry) = await TwiceAsync(id => server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = id }).ResponseAsync);

        Assert.Equal(first, retry);
        Assert.Single((await ReadAsync(trackingId)).Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task ATaskSentTwiceUnderOneRequestIdIsAddedOnce()
    {
        var incident = await TriagedAsync();

        var (first, retry) = await TwiceAsync(id => server.Incidents().AddTaskAsync(new AddTaskRequest
        {
            TrackingId = incident.TrackingId, Title = "Send the firewall logs", AssigneeStakeholderId = "gridco", RequestId = id,
        }).ResponseAsync);

        Assert.Equal(first, retry);
        Assert.Equal(incident.Tasks.Count + 1, (await ReadAsync(incident.TrackingId)).Tasks.Count);
    }

    [Fact]
    public async Task ATransitionRetriedGetsTheFirstAnswerInsteadOfARefusal()
    {
        var incident = await TriagedAsync();

        var (first, retry) = await TwiceAsync(id => server.Incidents().TransitionIncidentAsync(new TransitionIncidentRequest
        {
            TrackingId = incident.TrackingId, TargetStatus = IncidentStatus.Responding, ExpectedVersion = incident.Version, RequestId = id,
        }).ResponseAsync);

        Assert.Equal(first, retry);
        Assert.Equal((IncidentStatus.Responding, incident.Version + 1), (retry.Incident.Status, (await ReadAsync(incident.TrackingId)).Version));
    }

    [Fact]
    public async Task AnAdvisoryCreatedTwiceUnderOneRequestIdExistsOnce()
    {
        var title = "Patch the VPN appliances " + NewId();

        var (first, retry) = await TwiceAsync(id => server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent { Title = title, Summary = "Actively exploited.", Tlp = Tlp.Amber, TargetStakeholders = { "gridco" } },
            RequestId = id,
        }).ResponseAsync);

        Assert.Equal(first, retry);
        var listed = await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest());
        Assert.Single(listed.Advisories, a => a.Content.Title == title);
    }

    [Fact]
    public async Task RegistrationsRetriedUnderOneRequestIdAreAnsweredOnceInEveryRegistry()
    {
        var code = "RETRY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var sectors = await TwiceAsync(id => server.Sectors().CreateSectorAsync(new CreateSectorRequest { Sector = new Sector { Code = code, Name = "Retries" }, RequestId = id }).ResponseAsync);
        var stakeholder = TestStakeholders.NewStakeholder("ENERGY");
        var stakeholders = await TwiceAsync(id => server.Stakeholders().CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = stakeholder, RequestId = id }).ResponseAsync);
        var feed = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var feeds = await TwiceAsync(id => server.Feeds().RegisterFeedAsync(new RegisterFeedRequest { Name = feed, Settings = new FeedSettings { Trust = FeedTrust.National }, RequestId = id }).ResponseAsync);
        var partner = MatrixPartner.Registration();
        var partners = await TwiceAsync(id =>
        {
            var registration = partner.Clone();
            registration.RequestId = id;
            return server.Partners().RegisterPartnerAsync(registration).ResponseAsync;
        });
        // "test" is the RSIT class of exercises: no other test's incidents take its playbook.
        const string playbookClass = "test";
        var before = await PlaybookVersionAsync(playbookClass);
        var playbooks = await TwiceAsync(id => server.Playbooks().SetPlaybookAsync(new SetPlaybookRequest
        {
            RsitClass = playbookClass,
            Steps = { new PlaybookStep { Title = "Confirm the test reached the CIRT", Assignee = StepAssignee.Cirt, DueWithinHours = 1 } },
            RequestId = id,
        }).ResponseAsync);

        Assert.Equal(sectors.First, sectors.Retry);
        Assert.Equal(stakeholders.First, stakeholders.Retry);
        Assert.Equal(feeds.First, feeds.Retry);
        Assert.Equal(partners.First, partners.Retry);
        Assert.Equal(playbooks.First, playbooks.Retry);
        Assert.Equal(before + 1, await PlaybookVersionAsync(playbookClass));
    }

    private async Task<long> PlaybookVersionAsync(string rsitClass)
    {
        var listed = await server.Playbooks().ListPlaybooksAsync(new ListPlaybooksRequest());
        return listed.Playbooks.SingleOrDefault(p => p.RsitClass == rsitClass)?.Version ?? 0;
    }

    [Fact]
    public async Task AnImportAndABackupRetriedUnderOneRequestIdAreMadeOnce()
    {
        var before = (await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Count;
        var stix = new StixService.StixServiceClient(server.Invoker(server.CoordinatorKey));
        var bundle = Cirt.Server.Tests.Stix.StixExamples.Bundle().ToJsonString();
        var imports = await TwiceAsync(id => stix.ImportBundleAsync(new ImportBundleRequest { Bundle = bundle, RequestId = id }).ResponseAsync);
        var admin = new AdminService.AdminServiceClient(server.Invoker(server.CoordinatorKey));
        var name = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var backups = await TwiceAsync(id => admin.BackupAsync(new BackupRequest { Name = name, RequestId = id }).ResponseAsync);

        Assert.Equal(imports.First, imports.Retry);
        Assert.Equal(before + 1, (await server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Count);
        Assert.Equal(backups.First, backups.Retry);
        // Without its request id, the same name is refused: the backup exists.
        await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => admin.BackupAsync(new BackupRequest { Name = name }).ResponseAsync);
    }

    [Fact]
    public async Task AKeyIssuedUnderARequestIdIsIssuedOnceAndItsSecretNeverShownAgain()
    {
        var name = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var requestId = NewId();
        var request = new IssueKeyRequest { Name = name, Role = Role.Analyst, RequestId = requestId };

        var issued = await server.Keys().IssueKeyAsync(request);
        var retried = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => server.Keys().IssueKeyAsync(request).ResponseAsync);

        Assert.Contains($"Key {issued.Key.KeyId} ({name}) was issued under this request_id", retried.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.ApiKey, retried.Status.Detail, StringComparison.Ordinal);
        Assert.Single((await server.Keys().ListKeysAsync(new ListKeysRequest())).Keys, k => k.Name == name);
    }

    [Fact]
    public async Task TheSameRequestIdWithADifferentRequestIsRefusedOnRequestIdAndChangesNothing()
    {
        var trackingId = await ReportAsync();
        var requestId = NewId();
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = requestId });

        var fields = await RpcAssert.InvalidFields(() =>
            server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC again", RequestId = requestId }).ResponseAsync);

        Assert.Equal(["request_id"], fields);
        Assert.Single((await ReadAsync(trackingId)).Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task AnotherKeysRequestIdIsItsOwn()
    {
        var trackingId = await ReportAsync();
        var requestId = NewId();
        var bob = await server.IssueKeyAsync("bob-" + Guid.NewGuid().ToString("N")[..6], Role.Analyst);

        var alice = await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = requestId });
        var other = await server.Incidents(bob).AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = requestId });

        Assert.Equal(alice.Incident.Version + 1, other.Incident.Version);
        Assert.Equal(2, (await ReadAsync(trackingId)).Timeline.Count(e => e.Kind == "note"));
    }

    [Fact]
    public async Task DuplicatesSentAtOnceAreAppliedOnceAndAllGetTheSameAnswer()
    {
        var trackingId = await ReportAsync();
        var request = new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC", RequestId = NewId() };

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.Incidents().AddNoteAsync(request).ResponseAsync));

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Single((await ReadAsync(trackingId)).Timeline, e => e.Kind == "note");
    }

    [Fact]
    public async Task ARequestIdOfTheWrongShapeIsRefused()
    {
        var trackingId = await ReportAsync();

        var fields = await RpcAssert.InvalidFields(() =>
            server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "x", RequestId = "not a request id!" }).ResponseAsync);

        Assert.Equal(["request_id"], fields);
    }

    [Fact]
    public async Task WithoutARequestIdEveryCallIsANewChange()
    {
        var trackingId = await ReportAsync();
        var request = new AddNoteRequest { TrackingId = trackingId, Text = "Called the SOC" };

        await server.Incidents().AddNoteAsync(request);
        await server.Incidents().AddNoteAsync(request);

        Assert.Equal(2, (await ReadAsync(trackingId)).Timeline.Count(e => e.Kind == "note"));
    }

    [Fact]
    public async Task ARefusedCallIsNotRecordedAndItsRetryRunsAgain()
    {
        var incident = await TriagedAsync();
        var request = new AddNoteRequest { TrackingId = incident.TrackingId, Text = "late", ExpectedVersion = incident.Version + 1, RequestId = NewId() };
        await RpcAssert.FailsWith(StatusCode.Aborted, () => server.Incidents().AddNoteAsync(request).ResponseAsync);
        await server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = incident.TrackingId, Text = "meanwhile" });

        var retried = await server.Incidents().AddNoteAsync(request);

        Assert.Equal((incident.Version + 2, "late"), (retried.Incident.Version, retried.Incident.Timeline[^1].Summary));
    }
}
