"""The citizen's pages: forms, drafts, check-your-answers, submit, uploads, accounts, 我的办件."""
