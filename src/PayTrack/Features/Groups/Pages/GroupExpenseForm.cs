using System.Globalization;
using PayTrack.Domain.Groups;
using PayTrack.Infrastructure.Web;

namespace PayTrack.Features.Groups.Pages;

/// <summary>The group expense form, as typed: one row per member with what they paid and their part of the split.</summary>
public sealed class GroupExpenseForm
{
    /// <summary>What the form's errors call a field: the description's label is a question ("What was it?").</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string> { ["description"] = "a description" };

    public string? Description { get; set; }
    public string? Amount { get; set; }
    public string? Currency { get; set; }
    public string? Rate { get; set; }
    public string? Date { get; set; }
    public string? Category { get; set; }
    public string Mode { get; set; } = SplitModes.Equal;
    public int Version { get; set; }
    public List<Row> Rows { get; set; } = [];

    public sealed class Row
    {
        public Guid UserId { get; set; }
        public string? Paid { get; set; }
        public bool Included { get; set; }
        public string? Value { get; set; }
    }

    public GroupExpenseRequest ToRequest()
    {
        var payers = Rows.Where(r => !string.IsNullOrWhiteSpace(r.Paid)).Select(r => (PayerRequest?)new PayerRequest(r.UserId, AmountInput.Normalize(r.Paid))).ToList();
        var parts = Rows.Where(r => r.Included)
            .Select(r => (SplitPartRequest?)new SplitPartRequest(r.UserId, Mode == SplitModes.Equal ? null : Mode == SplitModes.Exact ? AmountInput.Normalize(r.Value) : r.Value?.Trim()))
            .ToList();
        return new GroupExpenseRequest(Description, AmountInput.Normalize(Amount), Currency, string.IsNullOrWhiteSpace(Rate) ? null : Rate.Trim(), Date?.Trim(), Category,
            payers.Count == 0 ? null : payers, new SplitRequest(Mode, parts), Version);
    }

    public static GroupExpenseForm New(GroupResponse group, Guid me, DateOnly today) => new()
    {
        Currency = group.Currency, Date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Rows = group.Members.Select(m => new Row { UserId = m.UserId, Included = true }).ToList(),
    };

    public static GroupExpenseForm From(GroupExpenseResponse e, GroupResponse group) => new()
    {
        Description = e.Description, Amount = AmountInput.Localize(e.Amount), Currency = e.Currency, Rate = e.Currency == group.Currency ? null : e.Rate,
        Date = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Category = e.Category, Mode = e.Split.Mode, Version = e.Version,
        Rows = group.Members.Select(m => new Row
        {
            UserId = m.UserId,
            Paid = e.Payers.FirstOrDefault(p => p.UserId == m.UserId) is { } p ? AmountInput.Localize(p.Amount) : null,
            Included = e.Split.Parts.Any(p => p.UserId == m.UserId),
            Value = e.Split.Parts.FirstOrDefault(p => p.UserId == m.UserId)?.Value,
        }).ToList(),
    };
}

/// <summary>What the shared fields partial needs.</summary>
public sealed record GroupExpenseFieldsView(GroupExpenseForm Form, GroupResponse Group);
