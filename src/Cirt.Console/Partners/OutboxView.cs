using System.Globalization;
using Cirt.Console.Incidents;
using Cirt.Console.Infrastructure;
using Cirt.Contracts.V1;
using Spectre.Console;

namespace Cirt.Console.Partners;

/// <summary>How outbox messages, the egress audit and refused deliveries look in the console.</summary>
public static class OutboxView
{
    public static Table List(IEnumerable<OutboxMessage> messages)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Message").NoWrap()).AddColumn(new TableColumn("Partner").NoWrap())
            .AddColumn(new TableColumn("Item").NoWrap()).AddColumn("Action").AddColumn("State")
            .AddColumn(new TableColumn("Seq").RightAligned()).AddColumn(new TableColumn("Attempts").RightAligned())
            .AddColumn(new TableColumn("Queued").NoWrap()).AddColumn("Details")
            .Optional("Seq", "Attempts", "Queued", "Action");
        foreach (var m in messages)
        {
            table.AddRow(
                Markup.Escape(m.MessageId), Markup.Escape(m.PartnerId), Markup.Escape(Item(m)), Words.Of(m.Action), State(m.State),
                m.Sequence > 0 ? m.Sequence.ToString(CultureInfo.InvariantCulture) : "-", m.Attempts.ToString(CultureInfo.InvariantCulture),
                Times.Of(m.QueuedAt), Markup.Escape(Details(m)));
        }

        return table;
    }

    /// <summary>One message in full; for a held one, what was found where, and what approving would send.</summary>
    public static void Show(IAnsiConsole console, OutboxMessage m, string payload)
    {
        var facts = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Fact(string name, string markup) => facts.AddRow($"[bold]{name}[/]", markup);
        Fact("Message", Markup.Escape(m.MessageId));
        Fact("Partner", Markup.Escape(m.PartnerId));
        Fact("Item", Markup.Escape(Item(m)));
        Fact("Action", Words.Of(m.Action));
        Fact("State", State(m.State));
        Fact("Queued", $"{Times.Of(m.QueuedAt)} by {Markup.Escape(m.QueuedBy)}");
        if (m.Sequence > 0)
        {
            Fact("Sequence", m.Sequence.ToString(CultureInfo.InvariantCulture));
        }

        Fact("Attempts", m.Attempts.ToString(CultureInfo.InvariantCulture));
        if (m.DeliveredAt is not null)
        {
            Fact("Delivered", Times.Of(m.DeliveredAt));
        }

        if (m.NextAttemptAt is not null && m.State == OutboxState.Queued)
        {
            Fact("Next attempt", Times.Of(m.NextAttemptAt));
        }

        if (m.LastError.Length > 0)
        {
            Fact("Last error", $"[red]{Markup.Escape(m.LastError)}[/]");
        }

        if (m.DecidedBy.Length > 0)
        {
            Fact(m.State == OutboxState.Discarded ? "Discarded by" : "Approved by", Markup.Escape(m.DecidedBy));
        }

        if (m.DiscardReason.Length > 0)
        {
            Fact("Reason", Markup.Escape(m.DiscardReason));
        }

        Fact("Payload digest", Markup.Escape(m.PayloadDigest));
        console.Write(Tables.Box(facts, "Outbox message"));

        if (m.Findings.Count > 0)
        {
            console.Write(Tables.Heading($"Personal data found ({m.Findings.Count})"));
            console.Write(Findings(m.Findings, OutboxPayload.Parse(payload)));
        }

        if (m.State == OutboxState.Held)
        {
            console.MarkupLine("Held for approval. Approving sends the redacted payload below and records you in the egress audit:");
            console.MarkupLineInterpolated($"  cirt partners approve {m.MessageId}");
            console.MarkupLineInterpolated($"  cirt partners discard {m.MessageId} --reason \"...\"   (it never leaves)");
        }

        if (m.Receipt.Length > 0)
        {
            console.Write(Tables.Heading("The partner's signed receipt"));
            console.Profile.Out.Writer.WriteLine(OutboxPayload.Indented(m.Receipt));
        }

        console.Write(Tables.Heading(m.State == OutboxState.Held ? "Payload approving would send (redacted)" : "Payload"));
        console.Profile.Out.Writer.WriteLine(OutboxPayload.Indented(payload));
    }

    /// <summary>Each finding: where, what kind, the match, and the text around it as it would leave.</summary>
    public static Table Findings(IEnumerable<PersonalDataFinding> findings, FederatedPayload? payload)
    {
        var table = Tables.Compact().AddColumn(new TableColumn("Field").NoWrap()).AddColumn(new TableColumn("Kind").NoWrap())
            .AddColumn("Found").AddColumn(new TableColumn("At").RightAligned()).AddColumn("Context (as it would leave)");
        foreach (var f in findings)
        {
            var text = payload is null ? null : OutboxPayload.Field(payload, f.Field);
            table.AddRow(Markup.Escape(f.Field), Words.Of(f.Kind), $"[yellow]{Markup.Escape(f.Match)}[/]", f.Offset.ToString(CultureInfo.InvariantCulture),
                text is null ? "[grey]-[/]" : Markup.Escape(OutboxPayload.Excerpt(text, f.Offset, f.Match.Length)));
        }

        return table;
    }

    /// <summary>"held for approval: 1 e-mail address in summary, 2 phone numbers in recommended_actions[0]".</summary>
    public static string HeldSummary(IEnumerable<PersonalDataFinding> findings) =>
        Found(findings) is { Length: > 0 } found ? "held for approval: " + found : "held for approval";

    /// <summary>"1 e-mail address in summary, 2 phone numbers in recommended_actions[0]".</summary>
    private static string Found(IEnumerable<PersonalDataFinding> findings) =>
        string.Join(", ", findings.GroupBy(f => (f.Kind, f.Field)).Select(g => $"{Words.Count(g.Key.Kind, g.Count())} in {g.Key.Field}"));

    public static Table Egress(IEnumerable<EgressRecord> records)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("Sent").NoWrap()).AddColumn(new TableColumn("Partner").NoWrap()).AddColumn(new TableColumn("Item").NoWrap())
            .AddColumn("Action").AddColumn(new TableColumn("Bytes").RightAligned()).AddColumn(new TableColumn("Digest").NoWrap()).AddColumn("Queued by").AddColumn("Approved by")
            .AddColumn(new TableColumn("Message").NoWrap())
            .Optional("Digest", "Queued by", "Approved by", "Bytes", "Message");
        foreach (var r in records)
        {
            table.AddRow(Times.Of(r.SentAt), Markup.Escape(r.PartnerId), Markup.Escape(Item(r.Kind, r.ItemId, r.ItemVersion)), Words.Of(r.Action),
                r.PayloadBytes.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(r.PayloadDigest), Markup.Escape(r.QueuedBy),
                Markup.Escape(r.ApprovedBy.Length > 0 ? r.ApprovedBy : "-"), Markup.Escape(r.MessageId));
        }

        return table;
    }

    public static Table Refusals(IEnumerable<InboundRefusal> refusals)
    {
        var table = Tables.Create()
            .AddColumn(new TableColumn("When").NoWrap()).AddColumn("Claimed sender").AddColumn("Key of partner").AddColumn(new TableColumn("Message").NoWrap())
            .AddColumn("Answered").AddColumn("Why");
        foreach (var r in refusals)
        {
            table.AddRow(Times.Of(r.At), Markup.Escape(Or(r.ClaimedSender)), Markup.Escape(Or(r.KeyPartnerId)), Markup.Escape(Or(r.MessageId)),
                Markup.Escape(r.Status), Markup.Escape(r.Reason));
        }

        return table;
    }

    /// <summary>A message's state in plain words, coloured by what it asks of people.</summary>
    public static string State(OutboxState state) => state switch
    {
        OutboxState.Held => "[yellow]held for approval[/]",
        OutboxState.Queued => "queued",
        OutboxState.Delivered => "[green]delivered[/]",
        OutboxState.Failed => "[red]failed[/]",
        OutboxState.Discarded => "[grey]discarded[/]",
        _ => "-",
    };

    /// <summary>"advisory ADV-2026-0007 v3".</summary>
    public static string Item(OutboxMessage m) => Item(m.Kind, m.ItemId, m.ItemVersion);

    private static string Item(SharedItemKind kind, string itemId, long version) =>
        $"{Words.Of(kind)} {itemId}" + (version > 0 ? $" v{version.ToString(CultureInfo.InvariantCulture)}" : "");

    private static string Details(OutboxMessage m) => m.State switch
    {
        OutboxState.Held => m.Findings.Count > 0 ? "found: " + Found(m.Findings) : "",
        OutboxState.Queued when m.LastError.Length > 0 => $"retrying ({m.LastError}); next attempt {Times.Of(m.NextAttemptAt)}",
        OutboxState.Delivered => "delivered " + Times.Of(m.DeliveredAt),
        OutboxState.Failed => m.LastError,
        OutboxState.Discarded => $"by {m.DecidedBy}: {m.DiscardReason}",
        _ => "",
    };

    private static string Or(string text) => text.Length > 0 ? text : "-";
}
