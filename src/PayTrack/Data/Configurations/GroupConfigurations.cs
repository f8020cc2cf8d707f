using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PayTrack.Data.Configurations;

public sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.ToTable("groups");
        b.HasKey(x => x.Id);
        // Declared so EF inserts the wallet before the group and the group before its rows.
        b.HasOne<Account>().WithMany().HasForeignKey(x => x.WalletId);
    }
}

public sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> b)
    {
        b.ToTable("group_members");
        b.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId);
        b.HasKey(x => new { x.GroupId, x.UserId });
        b.Ignore(x => x.BalanceMinor);
    }
}

public sealed class GroupInviteConfiguration : IEntityTypeConfiguration<GroupInvite>
{
    public void Configure(EntityTypeBuilder<GroupInvite> b)
    {
        b.ToTable("group_invites");
        b.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId);
        b.HasKey(x => x.Id);
    }
}

public sealed class GroupExpenseConfiguration : IEntityTypeConfiguration<GroupExpense>
{
    public void Configure(EntityTypeBuilder<GroupExpense> b)
    {
        b.ToTable("group_expenses");
        b.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId);
        b.HasKey(x => x.Id);
        b.HasMany(x => x.Parts).WithOne().HasForeignKey(p => p.ExpenseId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class GroupExpensePartConfiguration : IEntityTypeConfiguration<GroupExpensePart>
{
    public void Configure(EntityTypeBuilder<GroupExpensePart> b)
    {
        b.ToTable("group_expense_parts");
        b.HasKey(x => new { x.ExpenseId, x.Kind, x.UserId });
    }
}

public sealed class GroupSettlementConfiguration : IEntityTypeConfiguration<GroupSettlement>
{
    public void Configure(EntityTypeBuilder<GroupSettlement> b)
    {
        b.ToTable("group_settlements");
        b.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId);
        b.HasKey(x => x.Id);
    }
}

public sealed class GroupActivityConfiguration : IEntityTypeConfiguration<GroupActivity>
{
    public void Configure(EntityTypeBuilder<GroupActivity> b)
    {
        b.ToTable("group_activity");
        b.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId);
        b.HasKey(x => x.Id);
    }
}

public sealed class GroupExpenseReceiptConfiguration : IEntityTypeConfiguration<GroupExpenseReceipt>
{
    public void Configure(EntityTypeBuilder<GroupExpenseReceipt> b)
    {
        b.ToTable("group_expense_receipts");
        b.HasKey(x => x.Id);
        b.HasOne<GroupExpense>().WithMany().HasForeignKey(x => x.ExpenseId);
    }
}
