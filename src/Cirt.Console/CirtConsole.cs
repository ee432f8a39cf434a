using System.Reflection;
using Cirt.Console.Admin;
using Cirt.Console.Advisories;
using Cirt.Console.Deadlines;
using Cirt.Console.Feeds;
using Cirt.Console.Inbox;
using Cirt.Console.Incidents;
using Cirt.Console.Ingest;
using Cirt.Console.Infrastructure;
using Cirt.Console.Keys;
using Cirt.Console.Partners;
using Cirt.Console.Playbooks;
using Cirt.Console.Reporting;
using Cirt.Console.Reviews;
using Cirt.Console.Sectors;
using Cirt.Console.Stakeholders;
using Cirt.Console.Stix;
using Cirt.Console.Tasks;
using Cirt.Console.Triage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console;

/// <summary>The cirt command line: every command, wired to the console it writes to.</summary>
public static class CirtConsole
{
    /// <summary>What cirt --version prints: the assembly's informational version (e.g. 1.0.0+commit).</summary>
    public static string Version { get; } =
        typeof(CirtConsole).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CirtConsole).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static Task<int> RunAsync(string[] args, IAnsiConsole console) => RunAsync(args, console, System.Console.In);

    /// <summary>Runs the command line with <paramref name="input"/> as what is piped in (e.g. --outbound-key-stdin).</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextReader input) => RunAsync(args, console, input, CancellationToken.None);

    /// <summary>Runs the command line until it ends or <paramref name="cancellationToken"/> fires (as Ctrl+C stops a following command).</summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextReader input, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        services.AddSingleton(new StandardInput(input));
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("cirt");
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(console);
            // An option no command knows is a mistake to show, never one to ignore (--tpl for --tlp).
            config.UseStrictParsing();
            // Parse and validation errors are usage errors (exit code 2), printed as the console's own.
            config.SetExceptionHandler((exception, _) => CommandErrors.Report(console, exception));
            config.AddCommand<LoginCommand>("login").WithDescription("Check an API key against a server and remember both")
                .WithExample("login", "--server", "http://127.0.0.1:5080", "--key", "cirt_...");
            config.AddCommand<WhoAmICommand>("whoami").WithDescription("Show whom the API key in use belongs to");
            config.AddBranch("keys", keys =>
            {
                keys.SetDescription("API keys (coordinators)");
                keys.AddCommand<IssueKeyCommand>("issue").WithDescription("Issue a key; it is shown once");
                keys.AddCommand<ListKeysCommand>("list").WithDescription("List keys, without secrets");
                keys.AddCommand<RevokeKeyCommand>("revoke").WithDescription("Revoke a key from its next call on");
            });
            config.AddBranch("admin", admin =>
            {
                admin.SetDescription("Running the server (coordinators)");
                admin.AddCommand<BackupCommand>("backup").WithDescription("Take a consistent backup of the running server, into backups/ in its data folder")
                    .WithExample("admin", "backup", "--to", "before-upgrade");
            });
            config.AddCommand<ReportCommand>("report").WithDescription("Report an incident on behalf of a stakeholder")
                .WithExample("report", "--reporter", "gridco", "--title", "\"Ransomware on HMI\"", "--description", "\"...\"", "--significant");
            config.AddBranch("incidents", incidents =>
            {
                incidents.SetDescription("The incident queue and the work on incidents");
                incidents.AddCommand<ListIncidentsCommand>("list").WithDescription("List the queue (filter, sort, page)");
                incidents.AddCommand<ShowIncidentCommand>("show").WithDescription("Show an incident with the newest entries of its timeline (--all-timeline: all of them)");
                incidents.AddCommand<TriageIncidentCommand>("triage").WithDescription("Accept a reported incident with its RSIT classification");
                incidents.AddCommand<RejectIncidentCommand>("reject").WithDescription("Triage a report as not an incident");
                incidents.AddCommand<DuplicateIncidentCommand>("duplicate").WithDescription("Triage a report as a duplicate of another incident");
                incidents.AddCommand<MoveIncidentCommand>("move").WithDescription("Move an incident to its next status");
                incidents.AddCommand<AssignIncidentCommand>("assign").WithDescription("Assign the analyst in charge");
                incidents.AddCommand<NoteCommand>("note").WithDescription("Add a note to the timeline (CIRT staff: internal unless --shared)");
                incidents.AddCommand<ObserveCommand>("observe").WithDescription("Add observables");
                incidents.AddCommand<RestorationCommand>("restoration")
                    .WithDescription("Record whether an affected stakeholder is restored (needed to resolve a recovering incident)")
                    .WithExample("incidents", "restoration", "CIRT-2026-000042", "gridco", "restored", "--note", "\"SCADA back on automatic control\"");
                incidents.AddCommand<AffectCommand>("affect").WithDescription("Add affected stakeholders (notified through their inbox as TLP allows)");
                incidents.AddCommand<ReferCommand>("refer").WithDescription("Record a referral to law enforcement")
                    .WithExample("incidents", "refer", "CIRT-2026-000042", "--agency", "\"National Police - Cybercrime Unit\"", "--reference", "NP-2026-1234");
                incidents.AddCommand<Nis2ReportCommand>("nis2")
                    .WithDescription("Submit a NIS2 report (early-warning, notification, intermediate-report, progress-report, final-report) against an incident")
                    .WithExample("incidents", "nis2", "CIRT-2026-000042", "notification", "\"Initial assessment: two HMIs encrypted, no outage\"");
                incidents.AddCommand<ShareIncidentCommand>("share")
                    .WithDescription("Share a redacted summary with a partner CIRT, as its agreement allows; its shared notes and status changes follow")
                    .WithExample("incidents", "share", "CIRT-2026-000042", "--partner", "cirt-de");
                incidents.AddCommand<LinkIncidentCommand>("link").WithDescription("Link a partner's incident to one of ours (both timelines record it)")
                    .WithExample("incidents", "link", "CIRT-2026-000057", "CIRT-2026-000042");
                incidents.AddCommand<RequestReportCommand>("request-report")
                    .WithDescription("Ask the reporter for an intermediate NIS2 report by a due time (CIRT staff)")
                    .WithExample("incidents", "request-report", "CIRT-2026-000042", "--due", "48h", "--reason", "\"Has it reached the second control centre?\"");
            });
            config.AddCommand<FollowInboxCommand>("inbox")
                .WithDescription("What waits for you (advisories, tasks, deadlines), then new items as they come");
            config.AddCommand<TriageCommand>("triage")
                .WithDescription("The queue live, full screen: new incidents as they come, keys to open, triage, assign, move, note, filter (NDJSON when piped)");
            config.AddBranch("advisories", advisories =>
            {
                advisories.SetDescription("Advisories: drafted and published by coordinators, acknowledged by the stakeholders they reach");
                advisories.AddCommand<ListAdvisoriesCommand>("list").WithDescription("Advisories, newest first, with acknowledgements");
                advisories.AddCommand<ShowAdvisoryCommand>("show").WithDescription("One advisory in full, with its recipients");
                advisories.AddCommand<CreateAdvisoryCommand>("create").WithDescription("Draft an advisory (coordinators)")
                    .WithExample("advisories", "create", "--title", "\"ExampleVPN RCE exploited\"", "--summary", "\"Patch now\"", "--tlp", "amber",
                        "--affected-cve", "CVE-2026-12345:9.8", "--sector", "ENERGY", "--action", "\"Upgrade to 9.5\"");
                advisories.AddCommand<UpdateAdvisoryCommand>("update").WithDescription("Change an advisory: what is given replaces that part (coordinators)")
                    .WithExample("advisories", "update", "ADV-2026-0001", "--tlp", "green", "--partner", "cirt-de");
                advisories.AddCommand<PublishAdvisoryCommand>("publish").WithDescription("Deliver a draft to its targets and partner CIRTs (coordinators)");
                advisories.AddCommand<WithdrawAdvisoryCommand>("withdraw").WithDescription("Withdraw an advisory with a reason (coordinators)");
                advisories.AddCommand<AcknowledgeAdvisoryCommand>("ack").WithDescription("Acknowledge an advisory (operators)");
                advisories.AddCommand<ShareAdvisoryCommand>("share").WithDescription("Share a published advisory with partner CIRTs, as each agreement allows (coordinators)")
                    .WithExample("advisories", "share", "ADV-2026-0001", "--partner", "cirt-de", "--partner", "cirt-nl");
                advisories.AddCommand<ReceivedAdvisoriesCommand>("received").WithDescription("Advisories partner CIRTs shared with us, with their origin and route");
            });
            config.AddCommand<IdentityCommand>("identity")
                .WithDescription("This instance as partner CIRTs register it: id, country, key fingerprint, endpoint, and its public key")
                .WithExample("identity", "--key-only");
            config.AddBranch("partners", partners =>
            {
                partners.SetDescription("Partner CIRTs abroad: agreements, keys, and what waits in the outbox for each");
                partners.AddCommand<RegisterPartnerCommand>("register").WithDescription("Register a partner with its key, endpoint and agreement (coordinators)")
                    .WithExample("partners", "register", "cirt-de", "--name", "CERT-Bund", "--country", "DE", "--endpoint", "https://cirt.example.de",
                        "--public-key-file", "cirt-de.pem", "--outbound-key-file", "cirt-de.key", "--max-tlp", "green", "--all-sectors",
                        "--kind", "advisory", "--kind", "incident", "--indicators", "--legal-basis", "\"NIS2 Art. 10(7)\"", "--retention-days", "365");
                partners.AddCommand<ListPartnersCommand>("list").WithDescription("Partners with their status and deliveries");
                partners.AddCommand<ShowPartnerCommand>("show").WithDescription("A partner's agreement, keys and delivery state");
                partners.AddCommand<SuspendPartnerCommand>("suspend").WithDescription("Stop all exchange with a partner (coordinators)");
                partners.AddCommand<ResumePartnerCommand>("resume").WithDescription("Resume exchange; what waited is delivered in order (coordinators)");
                partners.AddCommand<UpdateAgreementCommand>("agreement").WithDescription("Replace a partner's agreement, given whole as at register (coordinators)");
                partners.AddCommand<UpdatePartnerEndpointCommand>("endpoint")
                    .WithDescription("Set where a partner listens and the key it issued to us (once it has issued one, or after a move or a rotation) (coordinators)")
                    .WithExample("partners", "endpoint", "cirt-de", "--outbound-key-file", "issued-by-cirt-de.key");
                partners.AddCommand<AddPartnerKeyCommand>("add-key").WithDescription("Register a partner's new signing key beside the old ones (coordinators)")
                    .WithExample("partners", "add-key", "cirt-de", "--public-key-file", "cirt-de-2027.pem", "--overlap-days", "7");
                partners.AddCommand<ListOutboxCommand>("outbox").WithDescription("Messages to partners, newest first")
                    .WithExample("partners", "outbox", "--state", "held");
                partners.AddCommand<ShowOutboxMessageCommand>("message").WithDescription("One message: for a held one, the personal data found and what approving would send");
                partners.AddCommand<ApproveOutboxMessageCommand>("approve").WithDescription("Send a held message's redacted version (coordinators)");
                partners.AddCommand<DiscardOutboxMessageCommand>("discard").WithDescription("A held message never leaves (coordinators)");
                partners.AddCommand<ListEgressCommand>("egress").WithDescription("What left this instance, by digest");
                partners.AddCommand<ListRefusalsCommand>("refusals").WithDescription("Deliveries to us that were refused, and why");
            });
            config.AddBranch("stix", stix =>
            {
                stix.SetDescription("STIX 2.1 bundles for other tools (MISP, OpenCTI, TheHive)");
                stix.AddCommand<ExportStixCommand>("export").WithDescription("An advisory or an incident as a STIX 2.1 bundle (CIRT staff)")
                    .WithExample("stix", "export", "advisory", "ADV-2026-0001", "--out", "adv-2026-0001.json");
                stix.AddCommand<ImportStixCommand>("import").WithDescription("A STIX 2.1 bundle as a draft advisory (coordinators)")
                    .WithExample("stix", "import", "bundle.json");
            });
            config.AddBranch("tasks", tasks =>
            {
                tasks.SetDescription("Work on incidents: from playbooks at triage and by hand");
                tasks.AddCommand<ListTasksCommand>("list").WithDescription("Open tasks across incidents, soonest due first");
                tasks.AddCommand<AddTaskCommand>("add").WithDescription("Add a task to an incident")
                    .WithExample("tasks", "add", "CIRT-2026-000042", "\"Send the firewall logs\"", "--stakeholder", "gridco", "--due", "24h");
                tasks.AddCommand<UpdateTaskCommand>("update").WithDescription("Move a task to in-progress, done or cancelled")
                    .WithExample("tasks", "update", "CIRT-2026-000042", "1", "done", "--note", "\"Hosts isolated\"");
            });
            config.AddBranch("playbooks", playbooks =>
            {
                playbooks.SetDescription("Response playbooks per RSIT class (tasks created at triage)");
                playbooks.AddCommand<ListPlaybooksCommand>("list").WithDescription("Every playbook with its steps");
                playbooks.AddCommand<ShowPlaybookCommand>("show").WithDescription("One class's playbook");
                playbooks.AddCommand<SetPlaybookCommand>("set").WithDescription("Replace a class's steps (coordinators)")
                    .WithExample("playbooks", "set", "availability", "--step", "\"reporter:2:Engage DDoS mitigation\"", "--step", "\"cirt:6:Coordinate filtering with ISPs\"");
            });
            config.AddBranch("review", review =>
            {
                review.SetDescription("Post-incident reviews (required before a high or critical incident is closed)");
                review.AddCommand<RecordReviewCommand>("record").WithDescription("Record or revise an incident's review");
                review.AddCommand<ShowReviewCommand>("show").WithDescription("Show an incident's review");
                review.AddCommand<FollowUpTaskCommand>("task").WithDescription("Turn follow-up action N into a task on the incident")
                    .WithExample("review", "task", "CIRT-2026-000042", "1", "--stakeholder", "gridco", "--due", "30d");
                review.AddCommand<FollowUpAdvisoryCommand>("advisory").WithDescription("Turn follow-up action N into a draft advisory")
                    .WithExample("review", "advisory", "CIRT-2026-000042", "1", "--sector", "ENERGY");
            });
            config.AddCommand<ListDeadlinesCommand>("deadlines")
                .WithDescription("What is due or overdue across the country (NIS2 stages, triage SLAs), soonest first")
                .WithExample("deadlines", "--overdue");
            config.AddBranch("ingest", ingest =>
            {
                ingest.SetDescription("Automated events (CIRT staff)");
                ingest.AddCommand<IngestStatsCommand>("stats").WithDescription("Totals per feed, rate and backlog");
                ingest.AddCommand<UnmatchedEventsCommand>("unmatched").WithDescription("Events that matched no stakeholder");
            });
            config.AddBranch("feeds", feeds =>
            {
                feeds.SetDescription("Feeds that may publish automated events, and the keys granted each (coordinators change, CIRT staff read)");
                feeds.AddCommand<RegisterFeedCommand>("register").WithDescription("Register a feed: national, or an organisation's own sensor (coordinators)")
                    .WithExample("feeds", "register", "gridco-ids", "--trust", "organisation", "--owner", "gridco", "--quota", "600");
                feeds.AddCommand<UpdateFeedCommand>("update").WithDescription("Change a feed's trust, owner, widening, description or quota (coordinators)")
                    .WithExample("feeds", "update", "gridco-ids", "--widen", "firstbank");
                feeds.AddCommand<GrantFeedCommand>("grant").WithDescription("Let a key publish a feed's events (coordinators)")
                    .WithExample("feeds", "grant", "gridco-ids", "--key-id", "0123456789abcdef");
                feeds.AddCommand<RevokeFeedGrantCommand>("revoke").WithDescription("Take a key's grant of a feed back (coordinators)");
                feeds.AddCommand<SuspendFeedCommand>("suspend").WithDescription("Refuse a feed's events from the next batch on (coordinators)");
                feeds.AddCommand<ResumeFeedCommand>("resume").WithDescription("Let a suspended feed publish again (coordinators)");
                feeds.AddCommand<ListFeedsCommand>("list").WithDescription("Feeds with their trust, quota, status and keys");
                feeds.AddCommand<ShowFeedCommand>("show").WithDescription("A feed with its grants and what its events came to");
            });
            config.AddBranch("stakeholders", stakeholders =>
            {
                stakeholders.SetDescription("The directory of organisations");
                stakeholders.AddCommand<ListStakeholdersCommand>("list").WithDescription("List stakeholders");
                stakeholders.AddCommand<ShowStakeholderCommand>("show").WithDescription("Show a stakeholder");
                stakeholders.AddCommand<CreateStakeholderCommand>("create").WithDescription("Register a stakeholder");
                stakeholders.AddCommand<ConfirmContactsCommand>("confirm-contacts").WithDescription("Confirm that a stakeholder's contacts work (operators: their own)");
                stakeholders.AddCommand<VerificationRoundCommand>("verification-round").WithDescription("Ask stakeholders to confirm their contacts (coordinators)");
            });
            config.AddBranch("sectors", sectors =>
            {
                sectors.SetDescription("Critical sectors");
                sectors.AddCommand<ListSectorsCommand>("list").WithDescription("List sectors");
                sectors.AddCommand<ShowSectorCommand>("show").WithDescription("A sector's view: alert level, open incidents, overdue deadlines and tasks");
                sectors.AddCommand<SetAlertLevelCommand>("alert").WithDescription("Set a sector's alert level by hand (coordinators), or clear it")
                    .WithExample("sectors", "alert", "ENERGY", "4", "--reason", "\"Ransomware campaign against grid operators\"");
            });
        });
        return app.RunAsync(args, cancellationToken);
    }
}
