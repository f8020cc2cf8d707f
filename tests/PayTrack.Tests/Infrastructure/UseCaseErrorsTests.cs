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
    [InlineData("email", "email is required.", "E-mail is required.")]
    [InlineData("url", "url is required.", "URL is required.")]
    [InlineData("date", "date is required as YYYY-MM-DD.", "Date is required.")]
    [InlineData("from", "from must be a date YYYY-MM-DD.", "From must be a valid date.")]
    [InlineData("amount", "amount must be a plain number such as 12.34 (no spaces, signs, exponents or thousands separators).", "Amount must be a number such as 12.50.")]
    public void Humanize_NamesFieldsInWords_NeverAsIds(string field, string message, string expected) =>
        UseCaseErrors.Humanize(field, message).ShouldBe(expected);

    [Fact]
    public void Humanize_WithTheFormsLabels_UsesTheLabelsWords() =>
        UseCaseErrors.Humanize("amount", "amount is required.", new Dictionary<string, string> { ["amount"] = "limit" }).ShouldBe("Limit is required.");
}
