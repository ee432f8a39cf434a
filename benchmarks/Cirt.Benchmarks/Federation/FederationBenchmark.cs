using System.Diagnostics;
using System.Globalization;
using Cirt.Benchmarks.Ingest;
using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Cirt.Benchmarks.Federation;

/// <summary>
/// Sharing between two real Cirt servers on this machine, introduced to each other through the
/// public API only: how long a published advisory takes to reach the partner and come back as a
/// signed receipt (p50/p99 over many advisories, next to a trivial call measured in the same run),
/// and how fast the outbox drains once a partner that was down comes back.
/// </summary>
public static class FederationBenchmark
{
    public sealed record Settings(int Advisories, int Queued, int Parallel);

    private const string SenderId = "cirt-aa";
    private const string ReceiverId = "cirt-bb";

    public static async Task<int> RunAsync(Settings s)
    {
        Console.WriteLine($"Cirt federation benchmark: {s.Advisories:N0} advisories published one after another to a partner (publish to signed receipt), " +
            $"then {s.Queued:N0} queued while the partner is down and drained when it is back");
        var dll = CirtProcess.ServerDll();
        var senderSettings = ServerSettings(SenderId, "AA");
        var receiverSettings = ServerSettings(ReceiverId, "BB");
        var sender = CirtProcess.Start(dll, senderSettings);
        var receiver = CirtProcess.Start(dll, receiverSettings);
        try
        {
            using var senderChannel = GrpcChannel.ForAddress(sender.Url);
            var senderKey = new Metadata { { "authorization", "Bearer " + sender.BootstrapKey } };
            await IntroduceAsync(sender, receiver);

            var advisories = new AdvisoryService.AdvisoryServiceClient(senderChannel);
            var partners = new PartnerService.PartnerServiceClient(senderChannel);
            var keys = new KeyService.KeyServiceClient(senderChannel);

            // The baseline: a trivial authenticated call, in the same run, on the same channel.
            var trivial = new List<double>();
            for (var i = 0; i < 1_000; i++)
            {
                var clock = Stopwatch.StartNew();
                await keys.WhoAmIAsync(new WhoAmIRequest(), senderKey);
                trivial.Add(clock.Elapsed.TotalMilliseconds);
            }

            var latencies = new List<double>();
            for (var i = 0; i < s.Advisories; i++)
            {
                var published = await PublishAsync(advisories, senderKey, i);
                var messageId = published.PartnerShares.Single().MessageId;
                var message = await WaitDeliveredAsync(partners, senderKey, messageId);
                latencies.Add((message.DeliveredAt.ToDateTimeOffset() - published.PublishedAt.ToDateTimeOffset()).TotalMilliseconds);
            }

            var (trivialP50, trivialP99) = (Percentile(trivial, 0.50), Percentile(trivial, 0.99));
            var (p50, p99) = (Percentile(latencies, 0.50), Percentile(latencies, 0.99));
            Console.WriteLine($"trivial call (WhoAmI): p50 {trivialP50:N2} ms, p99 {trivialP99:N2} ms");
            Console.WriteLine($"publish to signed receipt over {latencies.Count:N0} advisories: p50 {p50:N2} ms ({p50 / trivialP50:N1}x the trivial call), " +
                $"p99 {p99:N2} ms ({p99 / trivialP99:N1}x)");

            // The outage: the partner is killed, the outbox fills, the partner comes back.
            receiver.Kill();
            var queueing = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(s.Advisories, s.Queued), new ParallelOptions { MaxDegreeOfParallelism = s.Parallel },
                async (i, _) => await PublishAsync(advisories, senderKey, i));
            Console.WriteLine($"queued {s.Queued:N0} advisories for the partner while it was down in {queueing.Elapsed.TotalSeconds:N1} s");
            var before = (await partners.GetPartnerAsync(new GetPartnerRequest { PartnerId = ReceiverId }, senderKey)).Partner.Delivery;
            Console.WriteLine($"partner down: {before.Queued:N0} queued, circuit {before.Circuit}, last error: {before.LastError}");

            receiver = CirtProcess.Restart(receiver, dll, receiverSettings);
            var back = Stopwatch.StartNew();
            var expected = s.Advisories + s.Queued;
            TimeSpan? first = null;
            DeliveryState state;
            while (true)
            {
                state = (await partners.GetPartnerAsync(new GetPartnerRequest { PartnerId = ReceiverId }, senderKey)).Partner.Delivery;
                if (first is null && state.Delivered > s.Advisories)
                {
                    first = back.Elapsed;
                }

                if (state.Delivered >= expected || back.Elapsed > TimeSpan.FromMinutes(30))
                {
                    break;
                }

                await Task.Delay(100);
            }

            var drained = back.Elapsed;
            var draining = drained - (first ?? TimeSpan.Zero);
            var rate = s.Queued / Math.Max(draining.TotalSeconds, 0.001);
            Console.WriteLine($"partner back: first delivery after {first?.TotalSeconds:N1} s (the circuit's break and the backoff), " +
                $"{state.Delivered - s.Advisories:N0} of {s.Queued:N0} delivered {drained.TotalSeconds:N1} s after the restart; drain rate {rate:N0} messages/s");
            var received = await CountReceivedAsync(receiver);
            Console.WriteLine($"the partner holds {received:N0} received advisories (expected {expected:N0}: each exactly once)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT advisories={latencies.Count} p50_ms={p50:F2} p99_ms={p99:F2} trivial_p50_ms={trivialP50:F2} trivial_p99_ms={trivialP99:F2} queued={s.Queued} drain_per_s={rate:F0} received={received}"));
            return state.Delivered >= expected && received == expected ? 0 : 1;
        }
        finally
        {
            sender.Dispose();
            receiver.Dispose();
        }
    }

    private static Dictionary<string, string> ServerSettings(string instanceId, string country) => new()
    {
        ["Cirt__Federation__InstanceId"] = instanceId,
        ["Cirt__Federation__Country"] = country,
        ["Cirt__Deadlines__CheckPeriod"] = "01:00:00",
    };

    /// <summary>
    /// The README's walkthrough, in turn: A registers B (no key to call it yet) and issues it a partner
    /// key; B registers A with that key and issues A one; A sets the key it was given.
    /// </summary>
    private static async Task IntroduceAsync(CirtProcess a, CirtProcess b)
    {
        using var channelA = GrpcChannel.ForAddress(a.Url);
        using var channelB = GrpcChannel.ForAddress(b.Url);
        var keyA = new Metadata { { "authorization", "Bearer " + a.BootstrapKey } };
        var keyB = new Metadata { { "authorization", "Bearer " + b.BootstrapKey } };
        var partnersA = new PartnerService.PartnerServiceClient(channelA);
        var partnersB = new PartnerService.PartnerServiceClient(channelB);
        var identityA = await partnersA.GetLocalIdentityAsync(new GetLocalIdentityRequest(), keyA);
        var identityB = await partnersB.GetLocalIdentityAsync(new GetLocalIdentityRequest(), keyB);
        await partnersA.RegisterPartnerAsync(Registration(identityB, b.Url, ""), keyA);
        var forB = await new KeyService.KeyServiceClient(channelA).IssueKeyAsync(
            new IssueKeyRequest { Name = identityB.InstanceId, Role = Role.Partner, PartnerId = identityB.InstanceId }, keyA);
        await partnersB.RegisterPartnerAsync(Registration(identityA, a.Url, forB.ApiKey), keyB);
        var forA = await new KeyService.KeyServiceClient(channelB).IssueKeyAsync(
            new IssueKeyRequest { Name = identityA.InstanceId, Role = Role.Partner, PartnerId = identityA.InstanceId }, keyB);
        await partnersA.UpdatePartnerEndpointAsync(
            new UpdatePartnerEndpointRequest { PartnerId = identityB.InstanceId, EndpointUrl = b.Url, OutboundApiKey = forA.ApiKey }, keyA);
    }

    private static RegisterPartnerRequest Registration(GetLocalIdentityResponse identity, string url, string outboundKey)
    {
        var agreement = new SharingAgreement
        {
            MaxTlp = Tlp.Green,
            AllSectors = true,
            Indicators = true,
            PersonalData = PersonalDataPolicy.None,
            LegalBasis = "Benchmark: bilateral agreement under NIS2 Art. 10(7)",
            RetentionDays = 30,
        };
        agreement.Kinds.Add(SharedItemKind.Advisory);
        return new RegisterPartnerRequest
        {
            Id = identity.InstanceId,
            Name = "Partner " + identity.Country,
            Country = identity.Country,
            EndpointUrl = url,
            PublicKey = identity.PublicKey,
            OutboundApiKey = outboundKey,
            Agreement = agreement,
        };
    }

    private static async Task<Advisory> PublishAsync(AdvisoryService.AdvisoryServiceClient advisories, Metadata key, int i)
    {
        var content = new AdvisoryContent
        {
            Title = $"Benchmark advisory {i}",
            Summary = "Exploitation of an edge VPN appliance seen in the energy sector; patch and hunt.",
            Tlp = Tlp.Green,
        };
        content.TargetSectors.Add("ENERGY");
        content.RecommendedActions.Add("Upgrade the appliance to the fixed release.");
        content.PartnerRecipients.Add(ReceiverId);
        var draft = (await advisories.CreateAdvisoryAsync(new CreateAdvisoryRequest { Content = content }, key)).Advisory;
        return (await advisories.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id }, key)).Advisory;
    }

    private static async Task<OutboxMessage> WaitDeliveredAsync(PartnerService.PartnerServiceClient partners, Metadata key, string messageId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var message = (await partners.GetOutboxMessageAsync(new GetOutboxMessageRequest { MessageId = messageId }, key)).Message;
            if (message.State == OutboxState.Delivered)
            {
                return message;
            }

            if (message.State is OutboxState.Failed or OutboxState.Held or OutboxState.Discarded || clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"Message {messageId} is {message.State} ({message.LastError}) after {clock.Elapsed.TotalSeconds:N0} s.");
            }

            await Task.Delay(1);
        }
    }

    private static async Task<int> CountReceivedAsync(CirtProcess receiver)
    {
        using var channel = GrpcChannel.ForAddress(receiver.Url, new GrpcChannelOptions { MaxReceiveMessageSize = 256 * 1024 * 1024 });
        var key = new Metadata { { "authorization", "Bearer " + receiver.BootstrapKey } };
        var list = await new AdvisoryService.AdvisoryServiceClient(channel).ListAdvisoriesAsync(new ListAdvisoriesRequest { ReceivedOnly = true }, key);
        return list.Advisories.Count;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
