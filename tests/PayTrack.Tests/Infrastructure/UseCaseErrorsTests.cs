using PayTrack.Infrastructure.Web;

namespace PayTrack.Tests.Infrastructure;

public sealed class UseCaseErrorsTests
{
    [Theory]
    [InlineData("currentPassword", "currentPassword is wrong.", "Current password is wrong.")]
    [InlineData("categoryId", "categoryId is not one of your categories.", "Category is not one of your categories.")]
    [InlineData("set.categoryId", "categoryId is not one of your categories.", "Category is not one of your categories.")]
    [InlineData("amount", "amount must be less than 1,000,000,000 EUR.", "Amount must be less than 1,000,000,000 EUR.")]
    [InlineData("date", "A report covers at most 20 years.", "A report covers at most 20 years.")]
    public void Humanize_NamesFieldsInWords_NeverAsIds(string field, string message, string expected) =>
        UseCaseErrors.Humanize(field, message).ShouldBe(expected);
}
