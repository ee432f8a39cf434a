using Cirt.Contracts.V1;
using Cirt.Server.Tests.Federation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Xunit.Abstractions;

namespace Cirt.Server.Tests.Api;

/// <summary>
/// Thousands of malformed and hostile requests across every RPC: random bytes as messages, mutated
/// valid messages, oversized fields, invalid enum numbers, bogus and revoked keys. The server must
/// stay up, answer only with documented statuses, leave stored data exactly as it was, and never
/// answer an organisation's key with the CIRT's internal work (notes by internal/shared, referrals,
/// the reporter's contact), whatever page of the timeline it asks for.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Requests = 12_000;

    private static readonly StatusCode[] Documented =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists, StatusCode.PermissionDenied,
        StatusCode.Unauthenticated, StatusCode.FailedPrecondition, StatusCode.Aborted, StatusCode.ResourceExhausted,
    ];

    private static readonly HashSet<string> ReadOnly =
    [
        "ListIncidents", "GetIncident", "GetStakeholder", "ListStakeholders", "GetSector", "ListSectors", "ListKeys", "WhoAmI",
        "ListUnmatchedEvents", "GetIngestStats", "ListDeadlines", "ListTasks", "ListPlaybooks", "GetPlaybook", "GetAdvisory", "ListAdvisories",
        "ExportAdvisory", "ExportIncident",
        "ListFeeds", "GetFeed",
        "GetLocalIdentity", "ListPartners", "GetPartner", "ListOutbox", "GetOutboxMessage", "ListEgress", "ListInboundRefusals",
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private readonly ServerFixture _server = new()
    {
        ExtraArguments = ["--Cirt:Security:PermitsPerSecond", "1000000", "--Cirt:Security:Burst", "1000000"],
    };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    /// <summary>Marks the CIRT's internal work on the fuzzed incident: no answer to an organisation's key may carry it.</summary>
    private const string Internal = "fuzz-internal-7f3a";

    [Fact]
    public async Task HostileRequestsLeaveTheServerUpAndTheDataUntouched()
    {
        var report = Reports.Valid("gridco", significant: true);
        report.ReporterContact = new ReporterContact { Name = Internal + " contact", Email = "duty@gridco.example" };
        var trackingId = (await _server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        await _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = Internal + " note" });
        await _server.Incidents().AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "shared with gridco", Visibility = TimelineVisibility.Shared });
        await _server.Incidents().ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest { TrackingId = trackingId, Agency = "Police", Reference = Internal });
        // A partner whose signed advisory was accepted once: the fuzz resends it (acknowledged, nothing applied again) and mutates it.
        using var partner = new TestPartner(MatrixPartner.Id);
        await partner.RegisterAtAsync(_server);
        var partnerKey = partner.ApiKey;
        var delivery = partner.Request("cirt-local", partner.Advisory("ADV-NL-FUZZ"), 1);
        await _server.Federation(partnerKey).DeliverAsync(delivery);
        var heldMessageId = await MatrixPartner.HeldMessageAsync(_server);
        // A feed the fuzz publishes to, suspends, resumes and grants: its registry must not change.
        await _server.GrantFeedAsync("honeypot-1", _server.GridcoKey);
        var revoked = await _server.Keys().IssueKeyAsync(new IssueKeyRequest { Name = "leaver", Role = Role.Coordinator });
        await _server.Keys().RevokeKeyAsync(new RevokeKeyRequest { KeyId = revoked.Key.KeyId });
        var advisoryId = (await _server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = FuzzAdvisory() })).Advisory.Id;
        await _server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = advisoryId });
        var before = await SnapshotAsync();

        var methods = Cirt.Server.Api.CirtApi.Files
            .SelectMany(f => f.Services).SelectMany(s => s.Methods).Where(m => !m.IsClientStreaming && !m.IsServerStreaming).ToArray();
        var valid = ValidRequests(trackingId, advisoryId, delivery, heldMessageId);
        var outsiders = new[] { "", "cirt_0123456789abcdef_" + new string('A', 43), "Bearer", revoked.ApiKey, partnerKey, "\u0001garbage" };
        var insiders = new[] { _server.CoordinatorKey, _server.AnalystKey, _server.GridcoKey };
        var random = new Random(20261124);
        var seen = new Dictionary<StatusCode, int>();
        var unexpected = new List<string>();
        var leaks = new List<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var rng = new Random(random.Next() ^ i);
            var method = methods[rng.Next(methods.Length)];
            var readOnly = ReadOnly.Contains(method.Name);
            var kind = i % 5;
            string key;
            byte[] body;
            switch (kind)
            {
                case 0: // random bytes, any caller that may not change anything
                    body = RandomBytes(rng);
                    key = readOnly ? Pick(rng, insiders.Concat(outsiders).ToArray()) : Pick(rng, outsiders);
                    break;
                case 1: // a valid message with bytes flipped, cut or repeated
                    body = Mutate(valid[method.Name], rng);
                    key = readOnly ? Pick(rng, insiders.Concat(outsiders).ToArray()) : Pick(rng, outsiders);
                    break;
                case 2: // a valid message with one string field blown past every limit, or a message over 4 MiB
                    if (Oversize(valid[method.Name], method.InputType, rng) is { } oversized)
                    {
                        body = oversized;
                        key = Pick(rng, insiders);
                    }
                    else
                    {
                        body = rng.Next(10) == 0 ? OverTheSizeLimit() : RandomBytes(rng);
                        key = readOnly ? Pick(rng, insiders.Concat(outsiders).ToArray()) : Pick(rng, outsiders);
                    }

                    break;
                case 3: // a valid message with an enum number nobody defined
                    if (WithInvalidEnum(valid[method.Name], method.InputType, rng) is { } invalidEnum)
                    {
                        body = invalidEnum;
                        key = Pick(rng, insiders);
                    }
                    else
                    {
                        body = RandomBytes(rng);
                        key = readOnly ? Pick(rng, insiders.Concat(outsiders).ToArray()) : Pick(rng, outsiders);
                    }

                    break;
                default: // a perfectly valid message from someone who may not send it
                    body = valid[method.Name].ToByteArray();
                    key = readOnly ? Pick(rng, insiders.Concat(outsiders).ToArray()) : Pick(rng, outsiders);
                    break;
            }

            var (code, detail, answer) = await CallAsync(method, key, body);
            lock (seen)
            {
                seen[code] = seen.GetValueOrDefault(code) + 1;
                if (!Documented.Contains(code))
                {
                    unexpected.Add($"{method.FullName} (kind {kind}, {body.Length} bytes): {code} {detail}");
                }

                if (key == _server.GridcoKey && Leaks(answer))
                {
                    leaks.Add($"{method.FullName} (kind {kind}) answered gridco with the CIRT's internal work");
                }
            }
        });

        // Every page of the timeline an organisation can ask for, with tokens forged at random.
        var rng = new Random(16);
        for (var i = 0; i < 300; i++)
        {
            var forged = new GetIncidentRequest
            {
                TrackingId = trackingId,
                TimelinePageSize = rng.Next(-2, 1_003),
                TimelinePageToken = rng.Next(4) == 0 ? "" : Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"timeline-before:{rng.Next(-5, 40)}")),
            };
            var (code, _, answer) = await CallAsync(GetIncident, _server.GridcoKey, forged.ToByteArray());
            Assert.True(code is StatusCode.OK or StatusCode.InvalidArgument, $"{code} for {forged}");
            Assert.False(Leaks(answer), $"GetIncident answered gridco with the CIRT's internal work for {forged}");
        }

        output.WriteLine($"{Requests} requests: " + string.Join(", ", seen.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        Assert.True(unexpected.Count == 0, "Undocumented statuses:\n" + string.Join("\n", unexpected.Take(20)));
        Assert.True(leaks.Count == 0, "Leaks:\n" + string.Join("\n", leaks.Take(20)));
        Assert.Equal(Requests, seen.Values.Sum());
        var health = await new Health.HealthClient(_server.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static readonly MethodDescriptor GetIncident = IncidentService.Descriptor.FindMethodByName("GetIncident");

    /// <summary>Whether an answer carries the CIRT's internal work on the fuzzed incident.</summary>
    private static bool Leaks(byte[] answer) =>
        answer.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(Internal)) >= 0;

    private async Task<(StatusCode Code, string Detail, byte[] Answer)> CallAsync(MethodDescriptor method, string key, byte[] body)
    {
        var call = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes);
        var headers = new Metadata();
        if (key.Length > 0)
        {
            headers.Add("authorization", key.StartsWith("cirt_", StringComparison.Ordinal) ? "Bearer " + key : key);
        }

        try
        {
            var answer = await _server.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(headers), body);
            return (StatusCode.OK, "", answer);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Status.Detail + " " + ex.Status.DebugException?.Message, []);
        }
    }

    /// <summary>Everything a user could read, as text: incidents in full, stakeholders, sectors, keys.</summary>
    private async Task<string> SnapshotAsync()
    {
        var incidents = await _server.Incidents(_server.CoordinatorKey).ListIncidentsAsync(new ListIncidentsRequest { PageSize = 500 });
        var full = await Task.WhenAll(incidents.Incidents.Select(i =>
            _server.Incidents(_server.CoordinatorKey).GetIncidentAsync(new GetIncidentRequest { TrackingId = i.TrackingId }).ResponseAsync));
        var stakeholders = await _server.Stakeholders().ListStakeholdersAsync(new ListStakeholdersRequest { PageSize = 500 });
        var sectors = await _server.Sectors().ListSectorsAsync(new ListSectorsRequest());
        var playbooks = await _server.Playbooks().ListPlaybooksAsync(new ListPlaybooksRequest());
        var advisories = await _server.Advisories().ListAdvisoriesAsync(new ListAdvisoriesRequest());
        var keys = await _server.Keys().ListKeysAsync(new ListKeysRequest());
        var partners = await _server.Partners().ListPartnersAsync(new ListPartnersRequest());
        var outbox = await _server.Partners().ListOutboxAsync(new ListOutboxRequest { PageSize = 200 });
        var egress = await _server.Partners().ListEgressAsync(new ListEgressRequest { PageSize = 200 });
        var ingest = await _server.Ingest(_server.CoordinatorKey).GetIngestStatsAsync(new GetIngestStatsRequest());
        var feeds = await _server.Feeds().ListFeedsAsync(new ListFeedsRequest());
        ingest.EventsPerSecond = 0;
        // Deadline statuses depend on the clock, not on stored data.
        foreach (var incident in full.Select(f => f.Incident))
        {
            foreach (var deadline in incident.Deadlines)
            {
                deadline.Status = DeadlineStatus.Unspecified;
            }
        }

        return string.Join("\n", full.Select(f => f.ToString()).Append(stakeholders.ToString()).Append(sectors.ToString()).Append(playbooks.ToString()).Append(advisories.ToString()).Append(keys.ToString()).Append(ingest.ToString()).Append(feeds.ToString())
            .Append(partners.ToString()).Append(outbox.ToString()).Append(egress.ToString()));
    }

    private static Dictionary<string, IMessage> ValidRequests(string trackingId, string advisoryId, DeliverRequest delivery, string heldMessageId) => new()
    {
        ["Deliver"] = delivery,
        ["GetLocalIdentity"] = new GetLocalIdentityRequest(),
        ["RegisterPartner"] = MatrixPartner.Registration("fuzz-partner"),
        ["UpdateAgreement"] = new UpdateAgreementRequest { PartnerId = MatrixPartner.Id, Agreement = Federations.Agreement(Tlp.Amber), ExpectedVersion = 1 },
        ["UpdatePartnerEndpoint"] = new UpdatePartnerEndpointRequest { PartnerId = MatrixPartner.Id, EndpointUrl = "https://fuzz.example", OutboundApiKey = "cirt_fuzz" },
        ["AddPartnerKey"] = new AddPartnerKeyRequest { PartnerId = MatrixPartner.Id, PublicKey = MatrixPartner.NewKey(), OverlapDays = 3 },
        ["SuspendPartner"] = new SuspendPartnerRequest { PartnerId = MatrixPartner.Id, Reason = "fuzz" },
        ["ResumePartner"] = new ResumePartnerRequest { PartnerId = MatrixPartner.Id },
        ["ListPartners"] = new ListPartnersRequest(),
        ["GetPartner"] = new GetPartnerRequest { PartnerId = MatrixPartner.Id },
        ["ListOutbox"] = new ListOutboxRequest { PartnerId = MatrixPartner.Id, State = OutboxState.Held, PageSize = 10 },
        ["GetOutboxMessage"] = new GetOutboxMessageRequest { MessageId = heldMessageId },
        ["ApproveOutboxMessage"] = new ApproveOutboxMessageRequest { MessageId = heldMessageId },
        ["DiscardOutboxMessage"] = new DiscardOutboxMessageRequest { MessageId = heldMessageId, Reason = "fuzz" },
        ["ListEgress"] = new ListEgressRequest { PartnerId = MatrixPartner.Id, PageSize = 10 },
        ["ListInboundRefusals"] = new ListInboundRefusalsRequest { PageSize = 10 },
        ["SubmitIncident"] = Reports.Valid(),
        ["SubmitNis2Report"] = new SubmitNis2ReportRequest { RequestId = "fuzz-1", TrackingId = trackingId, Stage = DeadlineKind.Nis2Notification, Summary = "fuzz" },
        ["RecordReview"] = new RecordReviewRequest { TrackingId = trackingId, WhatHappened = "fuzz", RootCause = "fuzz", FollowUpActions = { "fuzz" } },
        ["AddTask"] = new AddTaskRequest { TrackingId = trackingId, Title = "fuzz", AssigneeStakeholderId = "gridco" },
        ["UpdateTask"] = new UpdateTaskRequest { TrackingId = trackingId, TaskNumber = 1, Status = IncidentTaskStatus.Done, Note = "fuzz" },
        ["ListTasks"] = new ListTasksRequest { AssigneeStakeholderId = "gridco", OverdueOnly = true },
        ["ListPlaybooks"] = new ListPlaybooksRequest(),
        ["GetPlaybook"] = new GetPlaybookRequest { RsitClass = "malicious-code" },
        ["SetPlaybook"] = new SetPlaybookRequest { RsitClass = "malicious-code", Steps = { new PlaybookStep { Title = "fuzz", Assignee = StepAssignee.Cirt, DueWithinHours = 1 } } },
        ["SetRestoration"] = new SetRestorationRequest { TrackingId = trackingId, StakeholderId = "gridco", Restored = true, Note = "fuzz" },
        ["ReferToLawEnforcement"] = new ReferToLawEnforcementRequest { TrackingId = trackingId, Agency = "fuzz", Reference = "fuzz-1" },
        ["SetAlertLevel"] = new SetAlertLevelRequest { Code = "ENERGY", Level = 5, Reason = "fuzz" },
        ["ConfirmContacts"] = new ConfirmContactsRequest { StakeholderId = "gridco" },
        ["RequestContactVerification"] = new RequestContactVerificationRequest { SectorCode = "ENERGY" },
        ["CreateAdvisory"] = new CreateAdvisoryRequest { Content = FuzzAdvisory() },
        ["UpdateAdvisory"] = new UpdateAdvisoryRequest { Id = advisoryId, Content = FuzzAdvisory() },
        ["PublishAdvisory"] = new PublishAdvisoryRequest { Id = advisoryId },
        ["WithdrawAdvisory"] = new WithdrawAdvisoryRequest { Id = advisoryId, Reason = "fuzz" },
        ["GetAdvisory"] = new GetAdvisoryRequest { Id = advisoryId },
        ["ListAdvisories"] = new ListAdvisoriesRequest { UnacknowledgedOnly = true },
        ["AcknowledgeAdvisory"] = new AcknowledgeAdvisoryRequest { Id = advisoryId },
        ["ShareAdvisory"] = new ShareAdvisoryRequest { Id = advisoryId, PartnerIds = { "partner-cert-nl" } },
        ["ExportAdvisory"] = new ExportAdvisoryRequest { Id = advisoryId },
        ["ExportIncident"] = new ExportIncidentRequest { TrackingId = trackingId },
        ["ImportBundle"] = new ImportBundleRequest { Bundle = Stix.StixExamples.Bundle().ToJsonString() },
        ["RequestIntermediateReport"] = new RequestIntermediateReportRequest
        {
            TrackingId = trackingId, DueWithin = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(48)), Reason = "fuzz",
        },
        ["AddAffectedStakeholders"] = new AddAffectedStakeholdersRequest { TrackingId = trackingId, StakeholderIds = { "aquaworks" } },
        ["ListDeadlines"] = new ListDeadlinesRequest { View = DeadlineView.Overdue, PageSize = 10 },
        ["ListIncidents"] = new ListIncidentsRequest { Statuses = { IncidentStatus.Reported }, PageSize = 10 },
        ["GetIncident"] = new GetIncidentRequest { TrackingId = trackingId, TimelinePageSize = 2 },
        ["TriageIncident"] = new TriageIncidentRequest { TrackingId = trackingId, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.High },
        ["TransitionIncident"] = new TransitionIncidentRequest { TrackingId = trackingId, TargetStatus = IncidentStatus.Responding, Reason = "fuzz" },
        ["AssignIncident"] = new AssignIncidentRequest { TrackingId = trackingId, Assignee = "mallory" },
        ["AddNote"] = new AddNoteRequest { TrackingId = trackingId, Text = "fuzz", Visibility = TimelineVisibility.Internal },
        ["ShareIncident"] = new ShareIncidentRequest { TrackingId = trackingId, PartnerId = MatrixPartner.Id },
        ["LinkIncident"] = new LinkIncidentRequest { TrackingId = trackingId, LinkedTrackingId = "CIRT-2026-000001" },
        ["AddObservables"] = new AddObservablesRequest { TrackingId = trackingId, Observables = { new Observable { Type = ObservableType.IpAddress, Value = "192.0.2.66" } } },
        ["CreateStakeholder"] = new CreateStakeholderRequest { Stakeholder = TestStakeholders.NewStakeholder("ENERGY") },
        ["UpdateStakeholder"] = new UpdateStakeholderRequest { Stakeholder = TestStakeholders.NewStakeholder("ENERGY") },
        ["GetStakeholder"] = new GetStakeholderRequest { Id = "gridco" },
        ["ListStakeholders"] = new ListStakeholdersRequest { SectorCode = "ENERGY" },
        ["CreateSector"] = new CreateSectorRequest { Sector = new Sector { Code = "FUZZ", Name = "Fuzz" } },
        ["UpdateSector"] = new UpdateSectorRequest { Sector = new Sector { Code = "ENERGY", Name = "Fuzzed" } },
        ["GetSector"] = new GetSectorRequest { Code = "ENERGY" },
        ["ListSectors"] = new ListSectorsRequest(),
        ["IssueKey"] = new IssueKeyRequest { Name = "mallory", Role = Role.Coordinator },
        ["ListKeys"] = new ListKeysRequest(),
        ["RevokeKey"] = new RevokeKeyRequest { KeyId = "0123456789abcdef" },
        ["WhoAmI"] = new WhoAmIRequest(),
        ["Backup"] = new BackupRequest { Name = "fuzz" },
        ["Publish"] = new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.7")) },
        ["ListUnmatchedEvents"] = new ListUnmatchedEventsRequest { Feed = "honeypot-1" },
        ["GetIngestStats"] = new GetIngestStatsRequest(),
        ["RegisterFeed"] = new RegisterFeedRequest { Name = "fuzz-feed", Settings = new FeedSettings { Trust = FeedTrust.Organisation, OwnerStakeholderId = "gridco", QuotaPerMinute = 10 } },
        ["UpdateFeed"] = new UpdateFeedRequest { Name = "honeypot-1", Settings = new FeedSettings { Trust = FeedTrust.National }, ExpectedVersion = 1 },
        ["GrantFeed"] = new GrantFeedRequest { Name = "honeypot-1", KeyId = "0123456789abcdef" },
        ["RevokeFeedGrant"] = new RevokeFeedGrantRequest { Name = "honeypot-1", KeyId = "0123456789abcdef" },
        ["SuspendFeed"] = new SuspendFeedRequest { Name = "honeypot-1", Reason = "fuzz" },
        ["ResumeFeed"] = new ResumeFeedRequest { Name = "honeypot-1" },
        ["ListFeeds"] = new ListFeedsRequest(),
        ["GetFeed"] = new GetFeedRequest { Name = "honeypot-1" },
    };

    private static AdvisoryContent FuzzAdvisory() => new()
    {
        Title = "fuzz", Summary = "fuzz", Tlp = Tlp.Amber, TargetSectors = { "ENERGY" },
        Cves = { new AffectedCve { CveId = "CVE-2026-12345", CvssScore = 9.8 } },
        Indicators = { new Observable { Type = ObservableType.IpAddress, Value = "192.0.2.66" } },
    };

    private static byte[] RandomBytes(Random rng)
    {
        var bytes = new byte[rng.Next(0, 300)];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(IMessage message, Random rng)
    {
        var bytes = message.ToByteArray().ToList();
        for (var n = rng.Next(1, 6); n > 0 && bytes.Count > 0; n--)
        {
            var at = rng.Next(bytes.Count);
            switch (rng.Next(3))
            {
                case 0: bytes[at] = (byte)rng.Next(256); break;
                case 1: bytes.RemoveRange(at, rng.Next(1, Math.Min(8, bytes.Count - at) + 1)); break;
                default: bytes.InsertRange(at, bytes.Skip(at).Take(rng.Next(1, 16)).ToArray()); break;
            }
        }

        return bytes.ToArray();
    }

    /// <summary>Sets one string field to 30,000 characters, over every string limit; null when the message has none.</summary>
    private static byte[]? Oversize(IMessage message, MessageDescriptor descriptor, Random rng)
    {
        var strings = descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.String && !f.IsRepeated).ToArray();
        if (strings.Length == 0)
        {
            return null;
        }

        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteArray());
        strings[rng.Next(strings.Length)].Accessor.SetValue(copy, new string('x', 30_000));
        return copy.ToByteArray();
    }

    /// <summary>A message of one unknown field, 5 MiB long: over the 4 MiB message limit.</summary>
    private static byte[] OverTheSizeLimit() =>
        new byte[] { 0xFA, 0x07 }.Concat(VarInt(5 * 1024 * 1024)).Concat(new byte[5 * 1024 * 1024]).ToArray();

    private static byte[]? WithInvalidEnum(IMessage message, MessageDescriptor descriptor, Random rng)
    {
        var enums = descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.Enum && !f.IsRepeated).ToArray();
        if (enums.Length == 0)
        {
            return null;
        }

        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteArray());
        enums[rng.Next(enums.Length)].Accessor.SetValue(copy, rng.Next(2) == 0 ? 99 : -7);
        return copy.ToByteArray();
    }

    private static IEnumerable<byte> VarInt(int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            yield return (byte)(v | 0x80);
            v >>= 7;
        }

        yield return (byte)v;
    }

    private static string Pick(Random rng, string[] options) => options[rng.Next(options.Length)];
}
