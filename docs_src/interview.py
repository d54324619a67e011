from symptomatic import Finding, Interview

interview = Interview(age=34, sex="female", findings=[Finding("cough")], lang="en")
while not interview.should_stop:
    question = interview.next_question()  # .text, .choices, .why, .number, .remaining
    if question is None:
        break
    print(question.text, "-", question.why)
    interview.answer("no")  # or "yes", "yeah", "nope", "don't know", a choice, 0-10, "back"
print(interview.result().summary)
