from symptomatic import Finding, Interview

interview = Interview(age=34, sex="female", findings=[Finding("cough")], lang="en")
while not interview.should_stop:
    question = interview.next_question()  # .text, .choices, .why
    if question is None:
        break
    print(question.text, "-", question.why)
    interview.answer("no")  # or "yes", "don't know", a choice, several choices, 0-10
print(interview.result().summary)
