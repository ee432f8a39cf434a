using Cirt.Contracts.V1;
using Cirt.Server.Security;
using Cirt.Server.Tests.Federation;
using Google.Protobuf.Reflection;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Grpc.Core;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// Every RPC × every kind of caller × own / other organisation, checked against the expected gRPC
/// status. The list of RPCs comes from the service descriptors: an RPC added without a case here
/// (and a rule in AccessRules) fails <see cref="EveryRpcHasACaseAndARule"/>. Notes by internal and
/// shared: who writes which (<see cref="EachPartyWritesExactlyTheNotesItsRoleAllows"/>) and who
/// reads the CIRT's internal work (<see cref="EachPartyReadsExactlyTheWorkItsRoleAllows"/>).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuthorizationMatrixTests(ServerFixture server)
{
    public enum Caller { NoKey, BogusKey, RevokedKey, Partner, Operator, Analyst, Coordinator }

    public enum Target { Own, Other }

    private static readonly FileDescriptor[] Files = Cirt.Server.Api.CirtApi.Files;

    /// <summary>How each RPC is called, and what an operator of gridco gets for its own and another organisation's objects.</summary>
    private static readonly Dictionary<string, Case> Cases = new[]
    {
        new Case("/cirt.v1.ReportingService/SubmitIncident", Who.Constituency, StatusCode.OK, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Reporting(c.Key).SubmitIncidentAsync(Reports.Valid(t == Target.Own ? "gridco" : "firstbank"))),
        new Case("/cirt.v1.ReportingService/SubmitNis2Report", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Reporting(c.Key).SubmitNis2ReportAsync(new SubmitNis2ReportRequest
            {
                RequestId = Guid.NewGuid().ToString("N"),
                TrackingId = await c.SignificantIncidentAsync(t),
                Stage = DeadlineKind.Nis2Notification,
                Summary = "Initial assessment: one substation's HMI encrypted; no outage.",
            })),
        new Case("/cirt.v1.IncidentService/ListDeadlines", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) => await c.Server.Incidents(c.Key).ListDeadlinesAsync(new ListDeadlinesRequest())),
        new Case("/cirt.v1.IncidentService/RecordReview", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) =>
            {
                var id = await c.IncidentAsync(t);
                var staff = c.Server.Incidents(c.Server.AnalystKey);
                await staff.TriageIncidentAsync(new TriageIncidentRequest
                {
                    TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "malicious-code", RsitType = "infected-system", Severity = Severity.Critical,
                });
                await staff.TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Resolved });
                return await c.Server.Incidents(c.Key).RecordReviewAsync(new RecordReviewRequest { TrackingId = id, WhatHappened = "w", RootCause = "r" });
            }),
        new Case("/cirt.v1.IncidentService/AddTask", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).AddTaskAsync(new AddTaskRequest
            {
                TrackingId = await c.IncidentAsync(t), Title = "Send the HMI disk images", AssigneeStakeholderId = Org(t),
            })),
        new Case("/cirt.v1.IncidentService/UpdateTask", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) =>
            {
                var id = await c.IncidentAsync(t);
                await c.Server.Incidents(c.Server.AnalystKey).AddTaskAsync(new AddTaskRequest { TrackingId = id, Title = "Isolate", AssigneeStakeholderId = Org(t) });
                return await c.Server.Incidents(c.Key).UpdateTaskAsync(new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.Done });
            }),
        new Case("/cirt.v1.IncidentService/ListTasks", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, t) => await c.Server.Incidents(c.Key).ListTasksAsync(new ListTasksRequest { AssigneeStakeholderId = Org(t) })),
        new Case("/cirt.v1.PlaybookService/ListPlaybooks", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Playbooks(c.Key).ListPlaybooksAsync(new ListPlaybooksRequest())),
        new Case("/cirt.v1.PlaybookService/GetPlaybook", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Playbooks(c.Key).GetPlaybookAsync(new GetPlaybookRequest { RsitClass = "malicious-code" })),
        new Case("/cirt.v1.PlaybookService/SetPlaybook", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Playbooks(c.Key).SetPlaybookAsync(new SetPlaybookRequest
            {
                RsitClass = "test",
                Steps = { new PlaybookStep { Title = "Confirm the test reached the CIRT", Assignee = StepAssignee.Cirt, DueWithinHours = 1 } },
            })),
        // An organisation records its own restoration; on its behalf only a coordinator records it restored
        // (an analyst doing so would make the coordinator's override to resolve without it empty).
        new Case("/cirt.v1.IncidentService/SetRestoration", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) =>
            {
                var id = await c.IncidentAsync(t);
                await c.Server.Incidents(c.Server.AnalystKey).TriageIncidentAsync(new TriageIncidentRequest
                {
                    TrackingId = id, Outcome = TriageOutcome.Accept, RsitClass = "availability", RsitType = "ddos", Severity = Severity.Medium,
                });
                return await c.Server.Incidents(c.Key).SetRestorationAsync(new SetRestorationRequest
                {
                    TrackingId = id, StakeholderId = Org(t), Restored = true, Note = "confirmed by the organisation's SOC",
                });
            }) { Analyst = StatusCode.PermissionDenied },
        new Case("/cirt.v1.IncidentService/ReferToLawEnforcement", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest
            {
                TrackingId = await c.IncidentAsync(t), Agency = "National Police", Reference = "NP-1",
            })),
        new Case("/cirt.v1.SectorService/SetAlertLevel", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Sectors(c.Key).SetAlertLevelAsync(new SetAlertLevelRequest { Code = "SPACE", Level = 0 })),
        new Case("/cirt.v1.StakeholderService/ConfirmContacts", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Stakeholders(c.Key).ConfirmContactsAsync(new ConfirmContactsRequest { StakeholderId = Org(t) })),
        new Case("/cirt.v1.StakeholderService/RequestContactVerification", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Stakeholders(c.Key).RequestContactVerificationAsync(new RequestContactVerificationRequest { SectorCode = "SPACE" })),
        new Case("/cirt.v1.AdvisoryService/CreateAdvisory", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Advisories(c.Key).CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Advisory(t) })),
        new Case("/cirt.v1.AdvisoryService/UpdateAdvisory", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Advisories(c.Key).UpdateAdvisoryAsync(new UpdateAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: false), Content = Advisory(t) })),
        new Case("/cirt.v1.AdvisoryService/PublishAdvisory", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Advisories(c.Key).PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: false) })),
        new Case("/cirt.v1.AdvisoryService/WithdrawAdvisory", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Advisories(c.Key).WithdrawAdvisoryAsync(new WithdrawAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: true), Reason = "superseded" })),
        new Case("/cirt.v1.AdvisoryService/GetAdvisory", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Advisories(c.Key).GetAdvisoryAsync(new GetAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: true) })),
        new Case("/cirt.v1.AdvisoryService/ListAdvisories", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) => await c.Server.Advisories(c.Key).ListAdvisoriesAsync(new ListAdvisoriesRequest())),
        new Case("/cirt.v1.AdvisoryService/ShareAdvisory", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Advisories(c.Key).ShareAdvisoryAsync(new ShareAdvisoryRequest
            {
                Id = await c.AdvisoryAsync(t, publish: true), PartnerIds = { await c.PartnerAsync() },
            })),
        new Case("/cirt.v1.AdvisoryService/AcknowledgeAdvisory", Who.Operators, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Advisories(c.Key).AcknowledgeAdvisoryAsync(new AcknowledgeAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: true) })),
        new Case("/cirt.v1.InboxService/FollowInbox", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) =>
            {
                // The first messages are the current items and the LIVE marker.
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var call = new InboxService.InboxServiceClient(c.Server.Invoker(c.Key)).FollowInbox(new FollowInboxRequest(), cancellationToken: cancel.Token);
                while (await call.ResponseStream.MoveNext(cancel.Token))
                {
                    if (call.ResponseStream.Current.Item.Kind == InboxItemKind.Live)
                    {
                        return call.ResponseStream.Current;
                    }
                }

                throw new InvalidOperationException("no LIVE marker");
            }),
        new Case("/cirt.v1.IncidentService/AddAffectedStakeholders", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest
            {
                TrackingId = await c.IncidentAsync(t), StakeholderIds = { "aquaworks" },
            })),
        new Case("/cirt.v1.IncidentService/RequestIntermediateReport", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).RequestIntermediateReportAsync(new RequestIntermediateReportRequest
            {
                TrackingId = await c.SignificantIncidentAsync(t),
                DueWithin = Duration.FromTimeSpan(TimeSpan.FromHours(48)),
                Reason = "Has the outage spread to the second control centre?",
            })),
        new Case("/cirt.v1.IncidentService/ListIncidents", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, t) => await c.Server.Incidents(c.Key).ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = Org(t) })),
        new Case("/cirt.v1.IncidentService/WatchIncidents", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, t) =>
            {
                // The first messages are the snapshot and the CURRENT marker.
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var call = c.Server.Incidents(c.Key).WatchIncidents(new WatchIncidentsRequest { StakeholderId = Org(t), SnapshotSize = 1 }, cancellationToken: cancel.Token);
                while (await call.ResponseStream.MoveNext(cancel.Token))
                {
                    if (call.ResponseStream.Current.Kind == WatchEventKind.Current)
                    {
                        return call.ResponseStream.Current;
                    }
                }

                throw new InvalidOperationException("no CURRENT marker");
            }),
        new Case("/cirt.v1.IncidentService/GetIncident", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Incidents(c.Key).GetIncidentAsync(new GetIncidentRequest { TrackingId = await c.IncidentAsync(t) })),
        new Case("/cirt.v1.IncidentService/AddNote", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Incidents(c.Key).AddNoteAsync(new AddNoteRequest { TrackingId = await c.IncidentAsync(t), Text = "matrix" })),
        new Case("/cirt.v1.IncidentService/AddObservables", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Incidents(c.Key).AddObservablesAsync(new AddObservablesRequest
            {
                TrackingId = await c.IncidentAsync(t),
                Observables = { new Observable { Type = ObservableType.Domain, Value = "matrix.example" } },
            })),
        new Case("/cirt.v1.IncidentService/TriageIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).TriageIncidentAsync(new TriageIncidentRequest
            {
                TrackingId = await c.IncidentAsync(t),
                Outcome = TriageOutcome.Reject,
                Reason = "matrix",
            })),
        new Case("/cirt.v1.IncidentService/TransitionIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) =>
            {
                var id = await c.IncidentAsync(t);
                await c.Server.Incidents(c.Server.AnalystKey).TriageIncidentAsync(new TriageIncidentRequest { TrackingId = id, Outcome = TriageOutcome.Reject, Reason = "matrix" });
                return await c.Server.Incidents(c.Key).TransitionIncidentAsync(new TransitionIncidentRequest { TrackingId = id, TargetStatus = IncidentStatus.Reported });
            }),
        new Case("/cirt.v1.IncidentService/AssignIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).AssignIncidentAsync(new AssignIncidentRequest { TrackingId = await c.IncidentAsync(t), Assignee = "alice" })),
        new Case("/cirt.v1.IncidentService/ShareIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).ShareIncidentAsync(new ShareIncidentRequest
            {
                TrackingId = await c.IncidentAsync(t),
                PartnerId = await c.PartnerAsync(new SharingAgreement
                {
                    MaxTlp = Tlp.Amber, AllSectors = true, Kinds = { SharedItemKind.Incident }, LegalBasis = "Test agreement", RetentionDays = 30,
                    PersonalData = PersonalDataPolicy.None,
                }),
            })),
        new Case("/cirt.v1.IncidentService/LinkIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await c.Server.Incidents(c.Key).LinkIncidentAsync(new LinkIncidentRequest
            {
                TrackingId = await c.IncidentAsync(t), LinkedTrackingId = await c.IncidentAsync(Target.Other),
            })),
        new Case("/cirt.v1.StakeholderService/GetStakeholder", Who.Constituency, StatusCode.OK, StatusCode.NotFound,
            async (c, t) => await c.Server.Stakeholders(c.Key).GetStakeholderAsync(new GetStakeholderRequest { Id = Org(t) })),
        new Case("/cirt.v1.StakeholderService/ListStakeholders", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) => await c.Server.Stakeholders(c.Key).ListStakeholdersAsync(new ListStakeholdersRequest())),
        new Case("/cirt.v1.StakeholderService/CreateStakeholder", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Stakeholders(c.Key).CreateStakeholderAsync(new CreateStakeholderRequest { Stakeholder = TestStakeholders.NewStakeholder("HEALTH") })),
        new Case("/cirt.v1.StakeholderService/UpdateStakeholder", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) =>
            {
                var current = (await c.Server.Stakeholders().GetStakeholderAsync(new GetStakeholderRequest { Id = Org(t) })).Stakeholder;
                return await c.Server.Stakeholders(c.Key).UpdateStakeholderAsync(new UpdateStakeholderRequest { Stakeholder = current });
            }),
        new Case("/cirt.v1.SectorService/GetSector", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Sectors(c.Key).GetSectorAsync(new GetSectorRequest { Code = "ENERGY" })),
        new Case("/cirt.v1.SectorService/ListSectors", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Sectors(c.Key).ListSectorsAsync(new ListSectorsRequest())),
        new Case("/cirt.v1.SectorService/CreateSector", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Sectors(c.Key).CreateSectorAsync(new CreateSectorRequest
            {
                Sector = new Sector { Code = "MATRIX_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), Name = "Matrix" },
            })),
        new Case("/cirt.v1.SectorService/UpdateSector", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) =>
            {
                var research = (await c.Server.Sectors().GetSectorAsync(new GetSectorRequest { Code = "RESEARCH" })).Sector;
                return await c.Server.Sectors(c.Key).UpdateSectorAsync(new UpdateSectorRequest { Sector = research });
            }),
        new Case("/cirt.v1.IngestService/Publish", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) => await c.Server.Ingest(c.Key).PublishAsync(new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.1")) })),
        new Case("/cirt.v1.IngestService/Stream", Who.Constituency, StatusCode.OK, StatusCode.OK,
            async (c, _) =>
            {
                using var call = c.Server.Ingest(c.Key).Stream();
                try
                {
                    await call.RequestStream.WriteAsync(new StreamRequest { Batch = Events.Batch(Events.Infected("192.0.2.2")) });
                    await call.RequestStream.CompleteAsync();
                }
                catch (RpcException)
                {
                    // A refused call may end before the client has written: its status comes with the response.
                }

                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), "one acknowledgement per batch");
                return call.ResponseStream.Current;
            }),
        new Case("/cirt.v1.IngestService/ListUnmatchedEvents", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Ingest(c.Key).ListUnmatchedEventsAsync(new ListUnmatchedEventsRequest())),
        new Case("/cirt.v1.IngestService/GetIngestStats", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Ingest(c.Key).GetIngestStatsAsync(new GetIngestStatsRequest())),
        new Case("/cirt.v1.FeedService/RegisterFeed", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).RegisterFeedAsync(new RegisterFeedRequest { Name = "matrix-" + Guid.NewGuid().ToString("N")[..8], Settings = NationalFeed })),
        new Case("/cirt.v1.FeedService/UpdateFeed", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).UpdateFeedAsync(new UpdateFeedRequest
            {
                Name = await MatrixFeedAsync(c.Server), ExpectedVersion = 1,
                Settings = new FeedSettings { Trust = FeedTrust.Organisation, OwnerStakeholderId = "gridco", QuotaPerMinute = 100 },
            })),
        new Case("/cirt.v1.FeedService/GrantFeed", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).GrantFeedAsync(new GrantFeedRequest
            {
                Name = await MatrixFeedAsync(c.Server), KeyId = await c.Server.KeyIdAsync(c.Server.AnalystKey),
            })),
        new Case("/cirt.v1.FeedService/RevokeFeedGrant", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) =>
            {
                var name = await MatrixFeedAsync(c.Server);
                var keyId = await c.Server.GrantFeedAsync(name, c.Server.AnalystKey);
                return await c.Server.Feeds(c.Key).RevokeFeedGrantAsync(new RevokeFeedGrantRequest { Name = name, KeyId = keyId });
            }),
        new Case("/cirt.v1.FeedService/SuspendFeed", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).SuspendFeedAsync(new SuspendFeedRequest { Name = await MatrixFeedAsync(c.Server), Reason = "matrix" })),
        new Case("/cirt.v1.FeedService/ResumeFeed", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) =>
            {
                var name = await MatrixFeedAsync(c.Server);
                await c.Server.Feeds().SuspendFeedAsync(new SuspendFeedRequest { Name = name, Reason = "matrix" });
                return await c.Server.Feeds(c.Key).ResumeFeedAsync(new ResumeFeedRequest { Name = name });
            }),
        new Case("/cirt.v1.FeedService/ListFeeds", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).ListFeedsAsync(new ListFeedsRequest())),
        new Case("/cirt.v1.FeedService/GetFeed", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Feeds(c.Key).GetFeedAsync(new GetFeedRequest { Name = await MatrixFeedAsync(c.Server) })),
        new Case("/cirt.v1.PartnerService/GetLocalIdentity", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).GetLocalIdentityAsync(new GetLocalIdentityRequest())),
        new Case("/cirt.v1.PartnerService/RegisterPartner", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).RegisterPartnerAsync(MatrixPartner.Registration())),
        new Case("/cirt.v1.PartnerService/UpdateAgreement", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).UpdateAgreementAsync(new UpdateAgreementRequest
            {
                PartnerId = await MatrixPartner.RegisterAsync(c.Server), Agreement = Federations.Agreement(Tlp.Amber),
            })),
        new Case("/cirt.v1.PartnerService/UpdatePartnerEndpoint", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).UpdatePartnerEndpointAsync(new UpdatePartnerEndpointRequest
            {
                PartnerId = await MatrixPartner.RegisterAsync(c.Server), EndpointUrl = "https://cirt.example.nl", OutboundApiKey = "cirt_matrix",
            })),
        new Case("/cirt.v1.PartnerService/AddPartnerKey", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).AddPartnerKeyAsync(new AddPartnerKeyRequest
            {
                PartnerId = await MatrixPartner.RegisterAsync(c.Server), PublicKey = MatrixPartner.NewKey(), OverlapDays = 7,
            })),
        new Case("/cirt.v1.PartnerService/SuspendPartner", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = await MatrixPartner.RegisterAsync(c.Server), Reason = "matrix" })),
        new Case("/cirt.v1.PartnerService/ResumePartner", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) =>
            {
                var id = await MatrixPartner.RegisterAsync(c.Server);
                await c.Server.Partners().SuspendPartnerAsync(new SuspendPartnerRequest { PartnerId = id, Reason = "matrix" });
                return await c.Server.Partners(c.Key).ResumePartnerAsync(new ResumePartnerRequest { PartnerId = id });
            }),
        new Case("/cirt.v1.PartnerService/ListPartners", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).ListPartnersAsync(new ListPartnersRequest())),
        new Case("/cirt.v1.PartnerService/GetPartner", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).GetPartnerAsync(new GetPartnerRequest { PartnerId = await MatrixPartner.RegisterAsync(c.Server) })),
        new Case("/cirt.v1.PartnerService/ListOutbox", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).ListOutboxAsync(new ListOutboxRequest())),
        new Case("/cirt.v1.PartnerService/GetOutboxMessage", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = await MatrixPartner.HeldMessageAsync(c.Server) })),
        new Case("/cirt.v1.PartnerService/ApproveOutboxMessage", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).ApproveOutboxMessageAsync(new ApproveOutboxMessageRequest { MessageId = await MatrixPartner.HeldMessageAsync(c.Server) })),
        new Case("/cirt.v1.PartnerService/DiscardOutboxMessage", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).DiscardOutboxMessageAsync(new DiscardOutboxMessageRequest
            {
                MessageId = await MatrixPartner.HeldMessageAsync(c.Server), Reason = "matrix",
            })),
        new Case("/cirt.v1.PartnerService/ListEgress", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).ListEgressAsync(new ListEgressRequest())),
        new Case("/cirt.v1.PartnerService/ListInboundRefusals", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Partners(c.Key).ListInboundRefusalsAsync(new ListInboundRefusalsRequest())),
        // A partner key passes authorisation and reaches the checks on the (here empty) message.
        new Case("/cirt.v1.FederationService/Deliver", Who.Partners, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Federation(c.Key ?? "").DeliverAsync(new DeliverRequest())) { Partner = StatusCode.InvalidArgument },
        // A coordinator's call takes a real backup of the shared server's data folder.
        new Case("/cirt.v1.AdminService/Backup", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await new AdminService.AdminServiceClient(c.Server.Invoker(c.Key)).BackupAsync(new BackupRequest())),
        new Case("/cirt.v1.KeyService/IssueKey", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Keys(c.Key).IssueKeyAsync(new IssueKeyRequest { Name = "matrix", Role = Role.Analyst })),
        new Case("/cirt.v1.KeyService/ListKeys", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await c.Server.Keys(c.Key).ListKeysAsync(new ListKeysRequest())),
        new Case("/cirt.v1.KeyService/RevokeKey", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) =>
            {
                var victim = await c.Server.Keys().IssueKeyAsync(new IssueKeyRequest { Name = "victim", Role = Role.Analyst });
                return await c.Server.Keys(c.Key).RevokeKeyAsync(new RevokeKeyRequest { KeyId = victim.Key.KeyId });
            }),
        new Case("/cirt.v1.KeyService/WhoAmI", Who.Everyone, StatusCode.OK, StatusCode.OK,
            async (c, _) => await c.Server.Keys(c.Key).WhoAmIAsync(new WhoAmIRequest())),
        new Case("/cirt.v1.StixService/ExportAdvisory", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await new StixService.StixServiceClient(c.Server.Invoker(c.Key)).ExportAdvisoryAsync(new ExportAdvisoryRequest { Id = await c.AdvisoryAsync(t, publish: true) })),
        new Case("/cirt.v1.StixService/ExportIncident", Who.CirtStaff, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, t) => await new StixService.StixServiceClient(c.Server.Invoker(c.Key)).ExportIncidentAsync(new ExportIncidentRequest { TrackingId = await c.IncidentAsync(t) })),
        new Case("/cirt.v1.StixService/ImportBundle", Who.Coordinators, StatusCode.PermissionDenied, StatusCode.PermissionDenied,
            async (c, _) => await new StixService.StixServiceClient(c.Server.Invoker(c.Key)).ImportBundleAsync(new ImportBundleRequest { Bundle = Stix.StixExamples.Bundle().ToJsonString() })),
    }.ToDictionary(c => c.Method);

    private enum Who { Everyone, Constituency, CirtStaff, Coordinators, Operators, Partners }

    private static FeedSettings NationalFeed => new() { Trust = FeedTrust.National, Description = "matrix" };

    /// <summary>A feed of its own for one call, registered by the coordinator.</summary>
    private static async Task<string> MatrixFeedAsync(ServerFixture server)
    {
        var name = "matrix-" + Guid.NewGuid().ToString("N")[..8];
        await server.Feeds().RegisterFeedAsync(new RegisterFeedRequest { Name = name, Settings = NationalFeed });
        return name;
    }

    public static TheoryData<string, Caller, Target> Matrix()
    {
        var data = new TheoryData<string, Caller, Target>();
        foreach (var method in Cases.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                foreach (var target in Enum.GetValues<Target>())
                {
                    data.Add(method, caller, target);
                }
            }
        }

        return data;
    }

    [Fact]
    public void EveryRpcHasACaseAndARule()
    {
        var rpcs = Files.SelectMany(f => f.Services).SelectMany(s => s.Methods).Select(m => $"/{m.Service.FullName}/{m.Name}").Order().ToArray();
        var rules = AccessRules.Roles.Keys.Where(k => k.StartsWith("/cirt.", StringComparison.Ordinal)).Order().ToArray();

        Assert.Equal(rpcs, Cases.Keys.Order().ToArray());
        Assert.Equal(rpcs, rules);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachCallerGetsExactlyWhatItsRoleAndOrganisationAllow(string method, Caller caller, Target target)
    {
        var @case = Cases[method];
        var context = new CallContext(server, await KeyForAsync(caller));
        var expected = Expected(@case, caller, target);

        var actual = StatusCode.OK;
        try
        {
            await @case.Call(context, target);
        }
        catch (RpcException ex)
        {
            actual = ex.StatusCode;
        }

        Assert.True(expected == actual, $"{method} as {caller} on {target}: expected {expected}, got {actual}");
    }

    private static StatusCode Expected(Case @case, Caller caller, Target target) => caller switch
    {
        Caller.NoKey or Caller.BogusKey or Caller.RevokedKey => StatusCode.Unauthenticated,
        Caller.Partner => @case.Partner ?? (@case.Who == Who.Everyone ? StatusCode.OK : StatusCode.PermissionDenied),
        Caller.Operator => target == Target.Own ? @case.OperatorOwn : @case.OperatorOther,
        Caller.Analyst => @case.Analyst ?? (@case.Who is Who.Coordinators or Who.Operators or Who.Partners ? StatusCode.PermissionDenied : StatusCode.OK),
        Caller.Coordinator => @case.Who is Who.Operators or Who.Partners ? StatusCode.PermissionDenied : StatusCode.OK,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    /// <summary>Who writes or reads notes on gridco's AMBER incident affecting firstbank.</summary>
    public enum Party { Reporter, Affected, Uninvolved, Analyst, Coordinator, Partner }

    /// <summary>What of the CIRT's and the organisations' work an incident carries.</summary>
    public enum Work { InternalNote, SharedNote, OrganisationNote, Referral, ReporterContact }

    public static TheoryData<Party, TimelineVisibility> NoteWriters()
    {
        var data = new TheoryData<Party, TimelineVisibility>();
        foreach (var party in Enum.GetValues<Party>())
        {
            foreach (var visibility in Enum.GetValues<TimelineVisibility>())
            {
                data.Add(party, visibility);
            }
        }

        return data;
    }

    public static TheoryData<Party, Work> WorkReaders()
    {
        var data = new TheoryData<Party, Work>();
        foreach (var party in Enum.GetValues<Party>())
        {
            foreach (var work in Enum.GetValues<Work>())
            {
                data.Add(party, work);
            }
        }

        return data;
    }

    /// <summary>
    /// Notes by internal/shared: CIRT staff write either (internal when unsaid); the organisations
    /// involved write shared notes only (unsaid is shared, internal PERMISSION_DENIED); an
    /// organisation not involved reaches no incident (NOT_FOUND); a partner no RPC.
    /// </summary>
    [Theory]
    [MemberData(nameof(NoteWriters))]
    public async Task EachPartyWritesExactlyTheNotesItsRoleAllows(Party writer, TimelineVisibility asked)
    {
        var trackingId = await NotedIncidentAsync(Guid.NewGuid().ToString("N"));
        var (expected, recorded) = (writer, asked) switch
        {
            (Party.Partner, _) => (StatusCode.PermissionDenied, TimelineVisibility.Unspecified),
            (Party.Uninvolved, _) => (StatusCode.NotFound, TimelineVisibility.Unspecified),
            (Party.Reporter or Party.Affected, TimelineVisibility.Internal) => (StatusCode.PermissionDenied, TimelineVisibility.Unspecified),
            (Party.Reporter or Party.Affected, _) => (StatusCode.OK, TimelineVisibility.Shared),
            (_, TimelineVisibility.Shared) => (StatusCode.OK, TimelineVisibility.Shared),
            _ => (StatusCode.OK, TimelineVisibility.Internal),
        };

        var (actual, entry) = (StatusCode.OK, (TimelineEntry?)null);
        try
        {
            var answer = await server.Incidents(await PartyKeyAsync(writer)).AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = "matrix note", Visibility = asked });
            entry = answer.Incident.Timeline[^1];
        }
        catch (RpcException ex)
        {
            actual = ex.StatusCode;
        }

        Assert.True(expected == actual, $"{writer} writing a {asked} note: expected {expected}, got {actual}");
        if (expected == StatusCode.OK)
        {
            var stored = (await server.Incidents().GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId })).Incident;
            Assert.Equal(("matrix note", recorded), (entry!.Summary, entry.Visibility));
            Assert.Equal(recorded, Assert.Single(stored.Timeline, e => e.Summary == "matrix note").Visibility);
        }
    }

    /// <summary>
    /// Who reads what: CIRT staff everything; the reporter and the affected organisation the shared
    /// notes and the organisations' notes, never an internal note, a referral or the reporter's
    /// contact; an organisation not involved and a partner nothing at all.
    /// </summary>
    [Theory]
    [MemberData(nameof(WorkReaders))]
    public async Task EachPartyReadsExactlyTheWorkItsRoleAllows(Party reader, Work work)
    {
        var marker = Guid.NewGuid().ToString("N");
        var trackingId = await NotedIncidentAsync(marker);
        var expected = reader switch
        {
            Party.Partner => StatusCode.PermissionDenied,
            Party.Uninvolved => StatusCode.NotFound,
            _ => StatusCode.OK,
        };
        var reads = reader is Party.Analyst or Party.Coordinator || (expected == StatusCode.OK && work is Work.SharedNote or Work.OrganisationNote);

        var (actual, text) = (StatusCode.OK, "");
        try
        {
            var answer = await server.Incidents(await PartyKeyAsync(reader)).GetIncidentAsync(new GetIncidentRequest { TrackingId = trackingId });
            text = answer.Incident.ToString() ?? "";
        }
        catch (RpcException ex)
        {
            actual = ex.StatusCode;
        }

        Assert.True(expected == actual, $"{reader} reading: expected {expected}, got {actual}");
        Assert.True(reads == text.Contains($"{work}-{marker}", StringComparison.Ordinal), $"{reader} {(reads ? "must" : "must not")} read the {work}");
    }

    /// <summary>gridco's AMBER incident affecting firstbank carrying each <see cref="Work"/>, each marked "{work}-{marker}".</summary>
    private async Task<string> NotedIncidentAsync(string marker)
    {
        var report = Reports.Valid("gridco");
        report.Tlp = Tlp.Amber;
        report.ReporterContact = new ReporterContact { Name = $"{Work.ReporterContact}-{marker}" };
        var trackingId = (await server.Reporting().SubmitIncidentAsync(report)).TrackingId;
        var staff = server.Incidents();
        await staff.AddAffectedStakeholdersAsync(new AddAffectedStakeholdersRequest { TrackingId = trackingId, StakeholderIds = { "firstbank" } });
        await staff.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = $"{Work.InternalNote}-{marker}" });
        await staff.AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = $"{Work.SharedNote}-{marker}", Visibility = TimelineVisibility.Shared });
        await server.Incidents(await PartyKeyAsync(Party.Affected)).AddNoteAsync(new AddNoteRequest { TrackingId = trackingId, Text = $"{Work.OrganisationNote}-{marker}" });
        await staff.ReferToLawEnforcementAsync(new ReferToLawEnforcementRequest { TrackingId = trackingId, Agency = "National Police", Reference = $"{Work.Referral}-{marker}" });
        return trackingId;
    }

    private async Task<string> PartyKeyAsync(Party party) => party switch
    {
        Party.Reporter => server.GridcoKey,
        Party.Affected => await server.IssueKeyAsync("firstbank-soc", Role.Operator, "firstbank"),
        Party.Uninvolved => await server.IssueKeyAsync("hospital-soc", Role.Operator, "city-hospital"),
        Party.Analyst => server.AnalystKey,
        Party.Coordinator => server.CoordinatorKey,
        Party.Partner => await MatrixPartner.KeyAsync(server),
        _ => throw new ArgumentOutOfRangeException(nameof(party)),
    };

    /// <summary>How an operator's organisation stands to an incident.</summary>
    public enum Involvement
    {
        /// <summary>It reported the incident (a named recipient).</summary>
        Reporter,

        /// <summary>Another organisation reported it; it is among the affected.</summary>
        Affected,

        /// <summary>Another organisation reported it, affecting a third one.</summary>
        Uninvolved,
    }

    /// <summary>
    /// TLP 2.0 as the README states it, written out rather than asked of the rule under test: the
    /// reporter sees its own report at every label; an affected organisation up to TLP:AMBER; an
    /// organisation not involved, nothing.
    /// </summary>
    private static bool Sees(Involvement involvement, Tlp tlp) => involvement switch
    {
        Involvement.Reporter => true,
        Involvement.Affected => tlp is Tlp.Clear or Tlp.Green or Tlp.Amber,
        _ => false,
    };

    public static TheoryData<Involvement, Tlp> TaskAndInboxCells()
    {
        var data = new TheoryData<Involvement, Tlp>();
        foreach (var involvement in Enum.GetValues<Involvement>())
        {
            foreach (var tlp in new[] { Tlp.Clear, Tlp.Green, Tlp.Amber, Tlp.AmberStrict, Tlp.Red })
            {
                data.Add(involvement, tlp);
            }
        }

        return data;
    }

    /// <summary>
    /// The task and inbox cells: an analyst gives a task to an operator's organisation on an incident
    /// at each TLP, the organisation involved in each way. Where it may see the incident, the task is
    /// added and the organisation lists, updates and is told of it; where it may not, the task is
    /// refused and nothing of the incident reaches its task list, deadlines or inbox.
    /// </summary>
    [Theory]
    [MemberData(nameof(TaskAndInboxCells))]
    public async Task TasksAndTheInboxReachAnOperatorExactlyAsFarAsTheTlpAndItsInvolvementAllow(Involvement involvement, Tlp tlp)
    {
        var organisation = await TestStakeholders.CreateAsync(server, "ENERGY");
        var key = await server.IssueKeyAsync("matrix-soc", Role.Operator, organisation);
        var report = Reports.Valid(involvement == Involvement.Reporter ? organisation : "firstbank");
        report.Tlp = tlp;
        report.AffectedStakeholderIds.Add(involvement == Involvement.Affected ? organisation : "aquaworks");
        var id = (await server.Reporting(server.AnalystKey).SubmitIncidentAsync(report)).TrackingId;
        var sees = Sees(involvement, tlp);

        var added = await RpcAssert.StatusOf(() => server.Incidents().AddTaskAsync(
            new AddTaskRequest { TrackingId = id, Title = "Send the proxy logs", AssigneeStakeholderId = organisation }).ResponseAsync);
        var updated = await RpcAssert.StatusOf(() => server.Incidents(key).UpdateTaskAsync(
            new UpdateTaskRequest { TrackingId = id, TaskNumber = 1, Status = IncidentTaskStatus.InProgress }).ResponseAsync);
        var tasks = await server.Incidents(key).ListTasksAsync(new ListTasksRequest { IncludeFinished = true });
        var deadlines = await server.Incidents(key).ListDeadlinesAsync(new ListDeadlinesRequest { View = DeadlineView.All });
        var inbox = await Inboxes.CurrentAsync(server, key);

        var cell = $"{involvement} at TLP {tlp}";
        Assert.True((sees ? StatusCode.OK : StatusCode.FailedPrecondition) == added.StatusCode, $"{cell}: AddTask answered {added.StatusCode}");
        Assert.True((sees ? StatusCode.OK : StatusCode.NotFound) == updated.StatusCode, $"{cell}: UpdateTask answered {updated.StatusCode}");
        Assert.True(sees == tasks.Tasks.Any(t => t.Incident.TrackingId == id), $"{cell}: ListTasks");
        Assert.True(tasks.Tasks.All(t => t.Incident.TrackingId == id), $"{cell}: ListTasks shows another incident's task");
        Assert.True((involvement == Involvement.Reporter) == deadlines.Deadlines.Any(d => d.Incident.TrackingId == id), $"{cell}: ListDeadlines");
        Assert.True(sees == inbox.Any(i => i.Kind == InboxItemKind.Task && i.TrackingId == id), $"{cell}: the inbox's task item");
        Assert.True((sees && involvement == Involvement.Affected) == inbox.Any(i => i.Kind == InboxItemKind.Incident && i.TrackingId == id),
            $"{cell}: the inbox's incident item");
        Assert.True(inbox.All(i => i.TrackingId.Length == 0 || i.TrackingId == id), $"{cell}: the inbox shows another incident");
    }

    private async Task<string?> KeyForAsync(Caller caller) => caller switch
    {
        Caller.NoKey => "",
        Caller.BogusKey => "cirt_0123456789abcdef_" + new string('A', 43),
        Caller.RevokedKey => await RevokedKeyAsync(),
        Caller.Partner => await MatrixPartner.KeyAsync(server),
        Caller.Operator => server.GridcoKey,
        Caller.Analyst => server.AnalystKey,
        Caller.Coordinator => server.CoordinatorKey,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private async Task<string> RevokedKeyAsync()
    {
        var issued = await server.Keys().IssueKeyAsync(new IssueKeyRequest { Name = "leaver", Role = Role.Coordinator });
        await server.Keys().RevokeKeyAsync(new RevokeKeyRequest { KeyId = issued.Key.KeyId });
        return issued.ApiKey;
    }

    private static string Org(Target target) => target == Target.Own ? "gridco" : "firstbank";

    /// <summary>An advisory for gridco (own) or firstbank (other) only.</summary>
    private static AdvisoryContent Advisory(Target target) => new()
    {
        Title = "Patch the VPN appliances", Summary = "Actively exploited.", Tlp = Tlp.Amber, TargetStakeholders = { Org(target) },
    };

    private sealed record Case(string Method, Who Who, StatusCode OperatorOwn, StatusCode OperatorOther, Func<CallContext, Target, Task<object>> Call)
    {
        /// <summary>What an analyst gets where its role's default (Who) does not say it: the object-level rule refuses it.</summary>
        public StatusCode? Analyst { get; init; }

        /// <summary>What a partner's key gets where its role's default does not say it.</summary>
        public StatusCode? Partner { get; init; }
    }

    private sealed record CallContext(ServerFixture Server, string? Key)
    {
        /// <summary>A fresh incident of gridco (own) or firstbank (other), reported by the CIRT.</summary>
        public async Task<string> IncidentAsync(Target target) =>
            (await Server.Reporting(Server.AnalystKey).SubmitIncidentAsync(Reports.Valid(Org(target)))).TrackingId;

        /// <summary>A fresh advisory for gridco (own) or firstbank (other), as the coordinator; published or a draft.</summary>
        public async Task<string> AdvisoryAsync(Target target, bool publish)
        {
            var id = (await Server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = Advisory(target) })).Advisory.Id;
            if (publish)
            {
                await Server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = id });
            }

            return id;
        }

        /// <summary>
        /// A freshly registered partner CIRT, as the coordinator (with a key of its own; we hold no key to
        /// call it), under <paramref name="agreement"/> (by default advisories up to TLP:GREEN).
        /// </summary>
        public async Task<string> PartnerAsync(SharingAgreement? agreement = null)
        {
            using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var id = "matrix-" + Guid.NewGuid().ToString("N")[..12];
            await new PartnerService.PartnerServiceClient(Server.Invoker(Server.CoordinatorKey)).RegisterPartnerAsync(new RegisterPartnerRequest
            {
                Id = id,
                Name = "Matrix CSIRT",
                Country = "NL",
                EndpointUrl = "http://127.0.0.1:9/",
                PublicKey = key.ExportSubjectPublicKeyInfoPem(),
                Agreement = agreement ?? new SharingAgreement
                {
                    MaxTlp = Tlp.Green, AllSectors = true, Kinds = { SharedItemKind.Advisory }, LegalBasis = "Test agreement", RetentionDays = 30,
                    PersonalData = PersonalDataPolicy.None,
                },
            });
            return id;
        }

        /// <summary>A fresh significant incident (NIS2 deadlines running) of gridco (own) or firstbank (other).</summary>
        public async Task<string> SignificantIncidentAsync(Target target) =>
            (await Server.Reporting(Server.AnalystKey).SubmitIncidentAsync(Reports.Valid(Org(target), significant: true))).TrackingId;
    }
}
