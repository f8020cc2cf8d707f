namespace PayTrack.Features.Notifications;

/// <summary>What a notification is about; preferences are kept per kind and channel.</summary>
public static class NotificationKinds
{
    public const string TransferReceived = "transfer.received";
    public const string DepositCompleted = "deposit.completed";
    public const string WithdrawalCompleted = "withdrawal.completed";
    public const string BudgetThreshold = "budget.threshold";
    public const string GroupInvite = "group.invite";
    public const string GroupExpense = "group.expense";
    public const string SettlementReceived = "settlement.received";
    public const string ReportSubmitted = "report.submitted";
    public const string ReportDecided = "report.decided";
    public const string ReportReimbursed = "report.reimbursed";
    /// <summary>Password changed, two-factor changed, new API token: its e-mails cannot be turned off.</summary>
    public const string Security = "security";

    public static readonly string[] All =
    [
        TransferReceived, DepositCompleted, WithdrawalCompleted, BudgetThreshold, GroupInvite, GroupExpense,
        SettlementReceived, ReportSubmitted, ReportDecided, ReportReimbursed, Security,
    ];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);

    /// <summary>A label for settings pages and e-mail footers.</summary>
    public static string Label(string kind) => kind switch
    {
        TransferReceived => "Money received",
        DepositCompleted => "Deposits",
        WithdrawalCompleted => "Withdrawals",
        BudgetThreshold => "Budget thresholds (80 % and 100 %)",
        GroupInvite => "Group invitations",
        GroupExpense => "Group expenses that involve you",
        SettlementReceived => "Settlements received",
        ReportSubmitted => "Expense reports waiting for your approval",
        ReportDecided => "Decisions on your expense reports",
        ReportReimbursed => "Reimbursements",
        Security => "Security (password, two-factor, API tokens)",
        _ => kind,
    };
}
